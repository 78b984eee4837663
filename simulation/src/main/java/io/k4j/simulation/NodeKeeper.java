package io.k4j.simulation;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a kubelet does for its own Node: registers it, reports its status, and keeps its Lease in kube-node-lease
 * renewed (the heartbeat the node lifecycle controller watches). Each call is one node's worth of API writes.
 */
final class NodeKeeper {

    static final String LEASE_NAMESPACE = "kube-node-lease";
    static final int LEASE_DURATION_SECONDS = 40;

    private final KubernetesClient client;
    private final NodeRenderer renderer;
    private final Clock clock;
    private final Map<String, Instant> registeredAt = new ConcurrentHashMap<>();
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();

    NodeKeeper(KubernetesClient client, NodeRenderer renderer, Clock clock) {
        this.client = client;
        this.renderer = renderer;
        this.clock = clock;
    }

    /**
     * Creates the node, or brings an existing one (from an earlier run) to this shape, then writes its status
     * through /status too: the API server, like upstream's, may drop the status of a create.
     */
    void register(SimulatedNode node) {
        Instant now = clock.instant();
        registeredAt.put(node.name(), now);
        Node wanted = renderer.node(node, now, now);
        Node stored;
        try {
            stored = client.nodes().resource(wanted).create();
        } catch (KubernetesClientException e) {
            if (!Conflicts.isAlreadyExists(e)) {
                throw e;
            }
            stored = null;
            Conflicts.retry(client.nodes().withName(node.name()).get(), () -> client.nodes().withName(node.name()).get(),
                    existing -> client.nodes().resource(new NodeBuilder(existing)
                            .editMetadata().addToLabels(wanted.getMetadata().getLabels())
                            .addToAnnotations(wanted.getMetadata().getAnnotations()).endMetadata()
                            .withSpec(wanted.getSpec()).build()).update());
        }
        writeStatus(node, stored);
    }

    /** Re-posts the node's status with a fresh heartbeat; registers the node again if someone deleted it. */
    void reportStatus(SimulatedNode node) {
        Node stored = client.nodes().withName(node.name()).get();
        if (stored == null) {
            register(node);
            return;
        }
        writeStatus(node, stored);
    }

    private void writeStatus(SimulatedNode node, Node stored) {
        Instant since = registeredAt.getOrDefault(node.name(), clock.instant());
        Node first = stored != null ? stored : client.nodes().withName(node.name()).get();
        Conflicts.retry(first, () -> client.nodes().withName(node.name()).get(),
                latest -> client.nodes().resource(new NodeBuilder(latest)
                        .withStatus(renderer.status(node, since, clock.instant())).build()).updateStatus());
    }

    /** Moves the node's Lease renewTime to now, creating the Lease first if there is none. */
    void renewLease(SimulatedNode node) {
        var leases = client.resources(Lease.class).inNamespace(LEASE_NAMESPACE);
        ZonedDateTime renewTime = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        Lease known = this.leases.computeIfAbsent(node.name(), name -> leases.withName(name).get());
        if (known == null) {
            Lease created = leases.resource(new LeaseBuilder()
                    .withNewMetadata().withName(node.name()).withNamespace(LEASE_NAMESPACE).endMetadata()
                    .withNewSpec().withHolderIdentity(node.name()).withLeaseDurationSeconds(LEASE_DURATION_SECONDS)
                    .withRenewTime(renewTime).endSpec()
                    .build()).create();
            this.leases.put(node.name(), created);
            return;
        }
        try {
            Conflicts.retry(known, () -> leases.withName(node.name()).get(), latest -> this.leases.put(node.name(),
                    leases.resource(new LeaseBuilder(latest).editSpec().withHolderIdentity(node.name())
                            .withLeaseDurationSeconds(LEASE_DURATION_SECONDS)
                            .withRenewTime(renewTime).endSpec()
                            .build()).update()));
        } catch (KubernetesClientException e) {
            this.leases.remove(node.name()); // deleted under us, or stale: start over from the server next time
            throw e;
        }
    }
}

package io.k4j.kubelet.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * The node's heartbeat: the Lease kube-node-lease/NODE, held by the node, 40 s long, renewed every 10 s, owned by
 * the Node (so it goes when the Node is deleted), as upstream's node lease controller keeps it.
 */
final class NodeLease {

    static final String NAMESPACE = "kube-node-lease";
    static final int DURATION_SECONDS = 40;

    private final KubernetesClient client;
    private final String nodeName;
    private final Clock clock;
    private Lease latest;

    NodeLease(KubernetesClient client, String nodeName, Clock clock) {
        this.client = client;
        this.nodeName = nodeName;
        this.clock = clock;
    }

    /** Moves renewTime to now; creates the Lease if it is missing. {@code owner} null: the Node is not there yet. */
    synchronized void renew(Node owner) {
        var leases = client.resources(Lease.class).inNamespace(NAMESPACE);
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (latest == null) {
            latest = leases.withName(nodeName).get();
        }
        try {
            if (latest == null) {
                latest = leases.resource(new LeaseBuilder()
                        .withNewMetadata().withName(nodeName).withNamespace(NAMESPACE)
                        .withOwnerReferences(ownerReferences(owner)).endMetadata()
                        .withNewSpec().withHolderIdentity(nodeName).withLeaseDurationSeconds(DURATION_SECONDS)
                        .withRenewTime(now).endSpec()
                        .build()).create();
                return;
            }
            LeaseBuilder renewed = new LeaseBuilder(latest).editSpec().withHolderIdentity(nodeName)
                    .withLeaseDurationSeconds(DURATION_SECONDS).withRenewTime(now).endSpec();
            if (latest.getMetadata().getOwnerReferences().isEmpty() && owner != null) {
                renewed.editMetadata().withOwnerReferences(ownerReferences(owner)).endMetadata();
            }
            latest = leases.resource(renewed.build()).update();
        } catch (KubernetesClientException e) {
            latest = null; // a conflict or a deleted Lease: start from the server's copy next time
            throw e;
        }
    }

    private static List<OwnerReference> ownerReferences(Node owner) {
        if (owner == null) {
            return List.of();
        }
        return List.of(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).build());
    }
}

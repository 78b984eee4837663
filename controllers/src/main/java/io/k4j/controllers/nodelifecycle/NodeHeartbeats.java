package io.k4j.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's node health data: for each node, when this controller last saw a sign of life (its Ready condition's
 * heartbeat or its Lease's renewTime moving), on this controller's own clock, so that clock skew between a node
 * and the controller does not matter. A node first seen counts as alive at that moment (or, if it never posted a
 * Ready condition, at its creation).
 */
final class NodeHeartbeats {

    private record Seen(String readyHeartbeat, Instant leaseRenewed, Instant probe) {
    }

    private final ConcurrentHashMap<String, Seen> seen = new ConcurrentHashMap<>();

    boolean knows(String node) {
        return seen.containsKey(node);
    }

    /** Records what the node and its Lease show now; returns the last time the node was seen alive. */
    Instant observe(Node node, Lease lease, Instant now) {
        NodeCondition ready = NodeConditions.find(node, NodeConditions.READY);
        String heartbeat = ready == null ? null : ready.getLastHeartbeatTime();
        Instant renewed = lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null ? null
                : lease.getSpec().getRenewTime().toInstant();
        Seen updated = seen.compute(node.getMetadata().getName(), (name, previous) -> {
            if (previous == null) {
                Instant since = ready == null ? created(node, now) : now;
                return new Seen(heartbeat, renewed, since);
            }
            boolean statusMoved = heartbeat != null && !Objects.equals(heartbeat, previous.readyHeartbeat);
            boolean leaseMoved = renewed != null && (previous.leaseRenewed == null
                    || renewed.isAfter(previous.leaseRenewed));
            Instant probe = statusMoved || leaseMoved ? now : previous.probe;
            return new Seen(heartbeat, leaseMoved ? renewed : previous.leaseRenewed, probe);
        });
        return updated.probe;
    }

    void forget(String node) {
        seen.remove(node);
    }

    private static Instant created(Node node, Instant now) {
        String created = node.getMetadata().getCreationTimestamp();
        return created == null ? now : Instant.parse(created);
    }
}

package io.k4j.simulation;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Fed by a node informer, re-posts a simulated node's status as soon as someone else changed it (a node lifecycle
 * controller marking it Unknown, say), and registers the node again if it is deleted: a kubelet's status sync,
 * without waiting for the next periodic report. Heartbeat times do not count as changes.
 */
final class NodeDriftWatcher implements ResourceEventHandler<Node> {

    private final Map<String, SimulatedNode> nodes;
    private final NodeRenderer renderer;
    private final NodeKeeper keeper;
    private final KeyedWorkQueue writes;
    private final Heartbeats heartbeats;
    private final java.util.function.Consumer<String> resumed;

    /** {@code resumed} is told the name of a node whose heartbeat comes back (to act its pods again). */
    NodeDriftWatcher(Map<String, SimulatedNode> nodes, NodeRenderer renderer, NodeKeeper keeper,
            KeyedWorkQueue writes, Heartbeats heartbeats, java.util.function.Consumer<String> resumed) {
        this.nodes = nodes;
        this.renderer = renderer;
        this.keeper = keeper;
        this.writes = writes;
        this.heartbeats = heartbeats;
        this.resumed = resumed;
    }

    @Override
    public void onAdd(Node node) {
        onUpdate(null, node);
    }

    @Override
    public void onUpdate(Node old, Node node) {
        SimulatedNode simulated = nodes.get(node.getMetadata().getName());
        if (simulated == null) {
            return;
        }
        boolean resuming = heartbeats.update(node);
        if (!heartbeats.beating(simulated.name())) {
            return; // playing dead: whatever others write about it stays
        }
        if (resuming) {
            writes.enqueue("lease/" + simulated.name(), () -> keeper.renewLease(simulated));
            resumed.accept(simulated.name());
        }
        if (resuming || drifted(simulated, node.getStatus())) {
            writes.enqueue("node/" + simulated.name(), () -> keeper.reportStatus(simulated));
        }
    }

    @Override
    public void onDelete(Node node, boolean finalStateUnknown) {
        SimulatedNode simulated = nodes.get(node.getMetadata().getName());
        if (simulated != null) {
            heartbeats.forget(simulated.name());
            writes.enqueue("node/" + simulated.name(), () -> keeper.reportStatus(simulated));
        }
    }

    /** Whether the stored status differs from ours in what matters: conditions, capacity, allocatable. */
    boolean drifted(SimulatedNode node, NodeStatus stored) {
        NodeStatus wanted = renderer.status(node, Instant.EPOCH, Instant.EPOCH);
        return stored == null
                || !conditions(wanted).equals(conditions(stored))
                || !Objects.equals(wanted.getCapacity(), stored.getCapacity())
                || !Objects.equals(wanted.getAllocatable(), stored.getAllocatable());
    }

    private static Map<String, String> conditions(NodeStatus status) {
        return status.getConditions() == null ? Map.of() : status.getConditions().stream().collect(Collectors.toMap(NodeCondition::getType,
                condition -> condition.getStatus() + "/" + condition.getReason(), (a, b) -> a));
    }
}

package io.k4j.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A node's conditions as the node lifecycle controller reads and, when the kubelet goes silent, overrides them. */
public final class NodeConditions {

    public static final String READY = "Ready";
    static final List<String> KUBELET_CONDITIONS = List.of(READY, "MemoryPressure", "DiskPressure", "PIDPressure");
    static final String UNKNOWN = "Unknown";
    static final String STOPPED_REASON = "NodeStatusUnknown";
    static final String STOPPED_MESSAGE = "Kubelet stopped posting node status.";
    static final String NEVER_REASON = "NodeStatusNeverUpdated";
    static final String NEVER_MESSAGE = "Kubelet never posted node status.";

    private NodeConditions() {
    }

    public static NodeCondition find(Node node, String type) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return null;
        }
        return node.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    /** "True", "False" or "Unknown" (also when the node has no Ready condition). */
    public static String readyStatus(Node node) {
        NodeCondition ready = find(node, READY);
        return ready == null || ready.getStatus() == null ? UNKNOWN : ready.getStatus();
    }

    /**
     * The node's conditions with every kubelet condition Unknown, as upstream sets them when the kubelet stopped
     * posting status: existing ones keep their heartbeat and change their transition time; missing ones are added.
     * Null when they already are all Unknown.
     */
    static List<NodeCondition> markedUnknown(Node node, Instant now) {
        List<NodeCondition> current = node.getStatus() == null || node.getStatus().getConditions() == null
                ? List.of() : node.getStatus().getConditions();
        List<NodeCondition> result = new ArrayList<>();
        boolean changed = false;
        for (NodeCondition condition : current) {
            if (KUBELET_CONDITIONS.contains(condition.getType()) && !UNKNOWN.equals(condition.getStatus())) {
                result.add(new NodeConditionBuilder(condition).withStatus(UNKNOWN).withReason(STOPPED_REASON)
                        .withMessage(STOPPED_MESSAGE).withLastTransitionTime(seconds(now)).build());
                changed = true;
            } else {
                result.add(condition);
            }
        }
        for (String type : KUBELET_CONDITIONS) {
            if (current.stream().noneMatch(c -> type.equals(c.getType()))) {
                result.add(new NodeConditionBuilder().withType(type).withStatus(UNKNOWN).withReason(NEVER_REASON)
                        .withMessage(NEVER_MESSAGE).withLastHeartbeatTime(node.getMetadata().getCreationTimestamp())
                        .withLastTransitionTime(seconds(now)).build());
                changed = true;
            }
        }
        return changed ? result : null;
    }

    /** An API timestamp: RFC 3339 in whole seconds, as metav1.Time serializes. */
    static String seconds(Instant instant) {
        return instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }
}

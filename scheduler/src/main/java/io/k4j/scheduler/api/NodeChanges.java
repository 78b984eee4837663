package io.k4j.scheduler.api;

import io.fabric8.kubernetes.api.model.Node;
import io.k4j.scheduler.framework.ClusterEvent;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** Classifies a node update into the cluster-event actions plugins register for (labels, taints, allocatable...). */
public final class NodeChanges {

    private NodeChanges() {
    }

    public static ClusterEvent classify(Node old, Node updated) {
        old = complete(old);
        updated = complete(updated);
        Set<ClusterEvent.Action> actions = EnumSet.noneOf(ClusterEvent.Action.class);
        if (!Objects.equals(old.getStatus().getAllocatable(), updated.getStatus().getAllocatable())) {
            actions.add(ClusterEvent.Action.UPDATE_NODE_ALLOCATABLE);
        }
        if (!Objects.equals(old.getMetadata().getLabels(), updated.getMetadata().getLabels())) {
            actions.add(ClusterEvent.Action.UPDATE_NODE_LABEL);
        }
        if (!Objects.equals(old.getSpec().getTaints(), updated.getSpec().getTaints())
                || !Objects.equals(old.getSpec().getUnschedulable(), updated.getSpec().getUnschedulable())) {
            actions.add(ClusterEvent.Action.UPDATE_NODE_TAINT);
        }
        if (!Objects.equals(old.getStatus().getConditions(), updated.getStatus().getConditions())) {
            actions.add(ClusterEvent.Action.UPDATE_NODE_CONDITION);
        }
        if (!Objects.equals(old.getMetadata().getAnnotations(), updated.getMetadata().getAnnotations())) {
            actions.add(ClusterEvent.Action.UPDATE_NODE_ANNOTATION);
        }
        return new ClusterEvent(ClusterEvent.Resource.NODE, actions);
    }

    /** The node with empty spec and status where they are missing, so comparisons need no null checks. */
    private static Node complete(Node node) {
        if (node.getSpec() != null && node.getStatus() != null) {
            return node;
        }
        return new io.fabric8.kubernetes.api.model.NodeBuilder(node)
                .withSpec(node.getSpec() != null ? node.getSpec() : new io.fabric8.kubernetes.api.model.NodeSpec())
                .withStatus(node.getStatus() != null ? node.getStatus() : new io.fabric8.kubernetes.api.model.NodeStatus())
                .build();
    }
}

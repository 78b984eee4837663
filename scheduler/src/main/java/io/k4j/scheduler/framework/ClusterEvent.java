package io.k4j.scheduler.framework;

import java.util.EnumSet;
import java.util.Set;

/**
 * A change in the cluster that may make unschedulable pods schedulable. Plugins register the events that can
 * undo their rejections ({@link EnqueueExtensions}); the queue moves a parked pod back only on such an event.
 */
public record ClusterEvent(Resource resource, Set<Action> actions) {

    public enum Resource {
        /** A pod already bound to a node (its presence affects fit, ports, affinity, spreading). */
        ASSIGNED_POD,
        /** The unscheduled pod itself (its own spec changed, e.g. scheduling gates removed). */
        UNSCHEDULED_POD,
        NODE,
        NAMESPACE,
        PERSISTENT_VOLUME_CLAIM,
        POD_DISRUPTION_BUDGET
    }

    public enum Action {
        ADD,
        DELETE,
        /** Any update not covered by the finer ones below. */
        UPDATE,
        UPDATE_NODE_ALLOCATABLE,
        UPDATE_NODE_LABEL,
        UPDATE_NODE_TAINT,
        UPDATE_NODE_CONDITION,
        UPDATE_NODE_ANNOTATION,
        UPDATE_POD_LABEL,
        UPDATE_POD_SCALE_DOWN,
        UPDATE_POD_TOLERATIONS,
        UPDATE_POD_SCHEDULING_GATES_ELIMINATED
    }

    public ClusterEvent {
        actions = actions.isEmpty() ? Set.of() : EnumSet.copyOf(actions);
    }

    public static ClusterEvent of(Resource resource, Action first, Action... rest) {
        return new ClusterEvent(resource, EnumSet.of(first, rest));
    }

    /** Every kind of change to the resource. */
    public static ClusterEvent any(Resource resource) {
        return new ClusterEvent(resource, EnumSet.allOf(Action.class));
    }

    /** True when this (registered) event covers the one that happened. */
    public boolean matches(ClusterEvent happened) {
        if (resource != happened.resource) {
            return false;
        }
        for (Action action : happened.actions) {
            if (actions.contains(action)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return resource + actions.toString();
    }
}

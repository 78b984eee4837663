package io.k4j.scheduler.framework;

import java.util.Set;

/**
 * Runs once per cycle before the filters: checks the pod itself and computes state for {@link FilterPlugin}.
 * A result may narrow the candidate nodes (e.g. spec.nodeName or a metadata.name node affinity).
 */
public interface PreFilterPlugin extends Plugin {

    /** The outcome; nodeNames null means "any node", a set means only those. */
    record Result(Status status, Set<String> nodeNames) {
        public static Result of(Status status) {
            return new Result(status, null);
        }

        public static Result success() {
            return new Result(Status.success(), null);
        }
    }

    Result preFilter(CycleState state, PodInfo pod, Snapshot snapshot);

    /**
     * How this plugin's cycle state changes when a pod is added to or removed from a node; preemption uses it to
     * evaluate "this node without these victims" without recomputing PreFilter. Null when the state does not depend
     * on other pods.
     */
    default Extensions extensions() {
        return null;
    }

    interface Extensions {
        Status addPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node);

        Status removePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node);
    }
}

package io.k4j.scheduler.framework;

import java.util.List;

/**
 * Implemented by plugins that reject pods (PreEnqueue, PreFilter, Filter, Reserve, Permit): which cluster events may
 * make a pod they rejected schedulable, each with an optional hint that looks at the change itself.
 */
public interface EnqueueExtensions {

    enum QueueingHint {
        /** The change may help: move the pod to the active (or backoff) queue. */
        QUEUE,
        /** The change cannot help this pod. */
        SKIP
    }

    /** Decides, from the changed object (old and new; either may be null), whether the pod should be retried. */
    @FunctionalInterface
    interface HintFunction {
        QueueingHint hint(PodInfo pod, Object oldObject, Object newObject);
    }

    /** A registered event; hint null means "always queue". */
    record Registration(ClusterEvent event, HintFunction hint) {
        public static Registration of(ClusterEvent event) {
            return new Registration(event, null);
        }
    }

    List<Registration> eventsToRegister();
}

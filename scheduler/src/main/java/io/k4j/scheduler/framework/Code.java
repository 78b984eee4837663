package io.k4j.scheduler.framework;

/** What a plugin decided, as upstream's framework codes. */
public enum Code {
    /** The plugin has no objection. */
    SUCCESS,
    /** Something went wrong inside the scheduler (a bug, an API error); the pod is retried after a backoff. */
    ERROR,
    /** The pod does not fit here, but preemption might make room. */
    UNSCHEDULABLE,
    /** The pod does not fit here and preemption cannot help (a selector, a taint, a node name). */
    UNSCHEDULABLE_AND_UNRESOLVABLE,
    /** A Permit plugin holds the pod until it is allowed or the timeout ends. */
    WAIT,
    /** The plugin has nothing to do for this pod; later points skip it too (PreFilter/PreScore), or the next binder runs. */
    SKIP,
    /** A PreEnqueue plugin keeps the pod out of the active queue for now (for example, scheduling gates). */
    PENDING;

    /** Rejections: the pod does not fit (resolvable or not), or is held back. */
    public boolean isRejection() {
        return this == UNSCHEDULABLE || this == UNSCHEDULABLE_AND_UNRESOLVABLE || this == PENDING;
    }
}

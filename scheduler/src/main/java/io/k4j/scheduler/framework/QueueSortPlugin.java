package io.k4j.scheduler.framework;

import java.time.Instant;

/** Orders the active queue; exactly one per scheduler (all profiles must agree). */
public interface QueueSortPlugin extends Plugin {

    /** A queued pod as the sort sees it: the pod and when it was first (and last) put in the queue. */
    record QueuedPod(PodInfo pod, Instant initialAttempt, Instant enqueued) {
    }

    /** True when a should be tried before b. */
    boolean less(QueuedPod a, QueuedPod b);
}

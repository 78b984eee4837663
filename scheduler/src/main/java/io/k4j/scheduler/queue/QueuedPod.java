package io.k4j.scheduler.queue;

import io.k4j.scheduler.framework.PodInfo;
import java.time.Instant;
import java.util.Set;

/**
 * A pod in the scheduling queue: the pod, when it first entered and when it last (re-)entered, how many attempts it
 * has had, and which plugins rejected it last (so only events those plugins registered move it back).
 */
public final class QueuedPod {

    PodInfo pod;
    final Instant initialAttempt;
    Instant enqueued;
    int attempts;
    Set<String> rejectedBy = Set.of();
    /** A PreEnqueue plugin holds it back (e.g. scheduling gates); it never entered the active queue this round. */
    boolean gated;
    long sequence;
    /** In one of the queue's places, as opposed to popped and being scheduled. */
    boolean queued = true;

    QueuedPod(PodInfo pod, Instant now) {
        this.pod = pod;
        this.initialAttempt = now;
        this.enqueued = now;
    }

    public PodInfo pod() {
        return pod;
    }

    public int attempts() {
        return attempts;
    }

    public Instant initialAttempt() {
        return initialAttempt;
    }

    /** Records which plugins rejected the pod in the attempt that just failed (empty for errors). */
    public void rejectedBy(Set<String> plugins) {
        this.rejectedBy = Set.copyOf(plugins);
    }

    public Set<String> rejectedBy() {
        return rejectedBy;
    }

    @Override
    public String toString() {
        return pod.key() + " attempts=" + attempts;
    }
}

package io.k4j.scheduler.plugins.queuesort;

import io.k4j.scheduler.framework.Handle;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.QueueSortPlugin;
import java.time.Instant;

/** Upstream's PrioritySort: higher spec.priority first, then the pod put in the queue earlier. */
public final class PrioritySort implements QueueSortPlugin {

    public static final String NAME = "PrioritySort";

    public PrioritySort(PluginArgs args, Handle handle) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean less(QueuedPod a, QueuedPod b) {
        int p1 = a.pod().priority();
        int p2 = b.pod().priority();
        if (p1 != p2) {
            return p1 > p2;
        }
        Instant t1 = timestamp(a);
        Instant t2 = timestamp(b);
        return t1 != null && t2 != null && t1.isBefore(t2);
    }

    private static Instant timestamp(QueuedPod pod) {
        return pod.enqueued() != null ? pod.enqueued() : pod.initialAttempt();
    }
}

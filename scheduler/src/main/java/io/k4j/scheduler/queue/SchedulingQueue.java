package io.k4j.scheduler.queue;

import io.k4j.scheduler.framework.ClusterEvent;
import io.k4j.scheduler.framework.EnqueueExtensions;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.QueueSortPlugin;
import io.k4j.scheduler.framework.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Pods waiting to be scheduled, in three places as upstream keeps them:
 * <ul>
 *   <li>the <b>active</b> queue, ordered by the QueueSort plugin (priority first), which {@link #pop} takes from;</li>
 *   <li>the <b>backoff</b> queue: pods that failed recently wait 1 s, doubling per attempt up to 10 s;</li>
 *   <li>the <b>unschedulable</b> pods, parked until a cluster event that one of the plugins that rejected them
 *       registered for happens ({@link #onEvent}), or for at most 5 minutes.</li>
 * </ul>
 * Time comes from the injected clock; {@link #flush} moves what is due and is called by the scheduler's ticker, so
 * tests drive the queue exactly.
 */
public final class SchedulingQueue {

    public static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    public static final Duration MAX_UNSCHEDULABLE = Duration.ofMinutes(5);

    private final Clock clock;
    private final Function<PodInfo, Status> preEnqueue;
    private final Map<String, List<EnqueueExtensions.Registration>> registrations;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final PriorityQueue<QueuedPod> active;
    private final PriorityQueue<QueuedPod> backoff;
    private final Map<String, QueuedPod> unschedulable = new HashMap<>();
    /** Every pod in any of the three places (and those popped and in flight), by UID. */
    private final Map<String, QueuedPod> known = new HashMap<>();
    private final Map<String, QueuedPod> inFlight = new HashMap<>();
    private long schedulingCycle;
    /** The cycle during which the last move request (a cluster event) came; pods popped before it retry sooner. */
    private long moveRequestCycle = -1;
    private long sequence;
    private boolean closed;

    /**
     * @param sort the QueueSort plugin
     * @param preEnqueue runs the PreEnqueue plugins for a pod (with the profile it belongs to)
     * @param registrations cluster events per plugin name, from every profile
     */
    public SchedulingQueue(Clock clock, QueueSortPlugin sort, Function<PodInfo, Status> preEnqueue,
                           Map<String, List<EnqueueExtensions.Registration>> registrations) {
        this.clock = clock;
        this.preEnqueue = preEnqueue;
        this.registrations = registrations;
        Comparator<QueuedPod> order = (a, b) -> {
            if (sort.less(view(a), view(b))) {
                return -1;
            }
            if (sort.less(view(b), view(a))) {
                return 1;
            }
            return Long.compare(a.sequence, b.sequence);
        };
        this.active = new PriorityQueue<>(order);
        this.backoff = new PriorityQueue<>(Comparator.comparing(this::backoffExpiry).thenComparingLong(p -> p.sequence));
    }

    private static QueueSortPlugin.QueuedPod view(QueuedPod pod) {
        return new QueueSortPlugin.QueuedPod(pod.pod, pod.initialAttempt, pod.enqueued);
    }

    private static String uid(PodInfo pod) {
        return pod.uid() != null ? pod.uid() : pod.key();
    }

    /** A new pending pod. */
    public void add(PodInfo pod) {
        lock.lock();
        try {
            if (known.containsKey(uid(pod))) {
                update(pod);
                return;
            }
            QueuedPod queued = new QueuedPod(pod, clock.instant());
            known.put(uid(pod), queued);
            toActiveOrParked(queued, "PodAdd");
        } finally {
            lock.unlock();
        }
    }

    /** Runs PreEnqueue; a pod it holds back is parked as unschedulable with the plugin that held it. */
    private void toActiveOrParked(QueuedPod queued, String why) {
        Status status = preEnqueue.apply(queued.pod);
        if (status.isSuccess()) {
            queued.gated = false;
            queued.sequence = sequence++;
            queued.enqueued = clock.instant();
            active.add(queued);
            notEmpty.signalAll();
        } else {
            queued.gated = true;
            queued.rejectedBy = status.plugin() == null ? java.util.Set.of() : java.util.Set.of(status.plugin());
            unschedulable.put(uid(queued.pod), queued);
        }
    }

    /** The pod's object changed while pending. */
    public void update(PodInfo pod) {
        lock.lock();
        try {
            QueuedPod queued = known.get(uid(pod));
            if (queued == null) {
                add(pod);
                return;
            }
            PodInfo old = queued.pod;
            queued.pod = pod;
            if (inFlight.containsKey(uid(pod))) {
                return;
            }
            if (unschedulable.containsKey(uid(pod)) && !old.pod().getSpec().equals(pod.pod().getSpec())
                    || unschedulable.containsKey(uid(pod)) && labelsChanged(old, pod)) {
                unschedulable.remove(uid(pod));
                if (queued.gated) {
                    toActiveOrParked(queued, "PodUpdate");
                } else {
                    toActiveOrBackoff(queued);
                }
            } else if (active.remove(queued)) {
                active.add(queued);
            } else if (backoff.remove(queued)) {
                backoff.add(queued);
            }
        } finally {
            lock.unlock();
        }
    }

    private static boolean labelsChanged(PodInfo a, PodInfo b) {
        return !java.util.Objects.equals(a.pod().getMetadata().getLabels(), b.pod().getMetadata().getLabels());
    }

    /** The pod was deleted, or got bound by someone: it leaves the queue. */
    public void delete(PodInfo pod) {
        lock.lock();
        try {
            QueuedPod queued = known.remove(uid(pod));
            if (queued != null) {
                active.remove(queued);
                backoff.remove(queued);
                unschedulable.remove(uid(pod));
            }
        } finally {
            lock.unlock();
        }
    }

    /** The next pod to schedule, waiting up to the timeout; null on timeout or after {@link #close}. */
    public QueuedPod pop(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (active.isEmpty() && !closed) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            if (closed) {
                return null;
            }
            QueuedPod queued = active.poll();
            queued.queued = false;
            queued.attempts++;
            schedulingCycle++;
            inFlight.put(uid(queued.pod), queued);
            return queued;
        } finally {
            lock.unlock();
        }
    }

    /** The number of the cycle the last popped pod started. */
    public long schedulingCycle() {
        lock.lock();
        try {
            return schedulingCycle;
        } finally {
            lock.unlock();
        }
    }

    /** The popped pod was scheduled (or given up on): it is no longer the queue's. */
    public void done(PodInfo pod) {
        lock.lock();
        try {
            inFlight.remove(uid(pod));
            QueuedPod queued = known.get(uid(pod));
            if (queued != null && !queued.queued) {
                known.remove(uid(pod));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A popped pod failed. It waits in the backoff queue when its failure was an error or when a cluster event came
     * while it was being tried (that event may already have fixed things); otherwise it is parked until an event
     * one of {@link QueuedPod#rejectedBy} registered for.
     */
    public void requeueFailed(QueuedPod queued, long podSchedulingCycle) {
        lock.lock();
        try {
            inFlight.remove(uid(queued.pod));
            if (!known.containsKey(uid(queued.pod))) {
                return; // deleted or bound meanwhile
            }
            if (queued.rejectedBy.isEmpty() || moveRequestCycle >= podSchedulingCycle) {
                backoff.add(queued);
            } else {
                unschedulable.put(uid(queued.pod), queued);
            }
            queued.enqueued = clock.instant();
            queued.queued = true;
        } finally {
            lock.unlock();
        }
    }

    /** A cluster event: parked pods whose rejecting plugins registered for it move to the backoff or active queue. */
    public void onEvent(ClusterEvent event, Object oldObject, Object newObject) {
        lock.lock();
        try {
            moveRequestCycle = schedulingCycle;
            List<QueuedPod> moving = new ArrayList<>();
            for (QueuedPod queued : unschedulable.values()) {
                if (helps(queued, event, oldObject, newObject)) {
                    moving.add(queued);
                }
            }
            for (QueuedPod queued : moving) {
                unschedulable.remove(uid(queued.pod));
                if (queued.gated) {
                    toActiveOrParked(queued, event.toString());
                } else {
                    toActiveOrBackoff(queued);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean helps(QueuedPod queued, ClusterEvent event, Object oldObject, Object newObject) {
        for (String plugin : queued.rejectedBy) {
            for (EnqueueExtensions.Registration registration : registrations.getOrDefault(plugin, List.of())) {
                if (registration.event().matches(event) && (registration.hint() == null
                        || registration.hint().hint(queued.pod, oldObject, newObject) == EnqueueExtensions.QueueingHint.QUEUE)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void toActiveOrBackoff(QueuedPod queued) {
        if (backoffExpiry(queued).isAfter(clock.instant())) {
            backoff.add(queued);
        } else {
            queued.sequence = sequence++;
            active.add(queued);
            notEmpty.signalAll();
        }
    }

    /** Upstream's backoff: 1 s doubled per failed attempt, at most 10 s, from when it was last queued. */
    Instant backoffExpiry(QueuedPod queued) {
        Duration backoff = INITIAL_BACKOFF;
        for (int i = 1; i < queued.attempts && backoff.compareTo(MAX_BACKOFF) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        if (backoff.compareTo(MAX_BACKOFF) > 0) {
            backoff = MAX_BACKOFF;
        }
        return queued.enqueued.plus(backoff);
    }

    /** Moves pods whose backoff ended to the active queue, and pods parked for over 5 minutes back too. */
    public void flush() {
        lock.lock();
        try {
            Instant now = clock.instant();
            while (!backoff.isEmpty() && !backoffExpiry(backoff.peek()).isAfter(now)) {
                QueuedPod queued = backoff.poll();
                queued.sequence = sequence++;
                active.add(queued);
                notEmpty.signalAll();
            }
            List<QueuedPod> stale = unschedulable.values().stream()
                    .filter(queued -> !queued.gated && queued.enqueued.plus(MAX_UNSCHEDULABLE).isBefore(now)).toList();
            for (QueuedPod queued : stale) {
                unschedulable.remove(uid(queued.pod));
                toActiveOrBackoff(queued);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Counts per place, for metrics and tests. */
    public record Sizes(int active, int backoff, int unschedulable) {
    }

    public Sizes sizes() {
        lock.lock();
        try {
            return new Sizes(active.size(), backoff.size(), unschedulable.size());
        } finally {
            lock.unlock();
        }
    }

    /** The pending pods (every place), for the nominator and debugging. */
    public List<PodInfo> pending() {
        lock.lock();
        try {
            return known.values().stream().map(QueuedPod::pod).toList();
        } finally {
            lock.unlock();
        }
    }

    public void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

}

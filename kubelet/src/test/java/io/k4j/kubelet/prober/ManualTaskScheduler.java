package io.k4j.kubelet.prober;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.PriorityQueue;

/** A scheduler and clock for tests: tasks run on the test's thread when {@link #advance} passes their time. */
public final class ManualTaskScheduler implements TaskScheduler, InstantSource {

    private record Task(Instant due, long order, Runnable body, boolean[] cancelled) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.due.equals(b.due)
            ? Long.compare(a.order, b.order) : a.due.compareTo(b.due));
    private Instant now;
    private long order;

    public ManualTaskScheduler(Instant start) {
        this.now = start;
    }

    public ManualTaskScheduler() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        boolean[] cancelled = {false};
        tasks.add(new Task(now.plus(delay.isNegative() ? Duration.ZERO : delay), order++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    /** Runs what is due now (tasks scheduled with no delay). */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** Moves time forward, running every task that falls due on the way, at its own time. */
    public void advance(Duration duration) {
        Instant target = instant().plus(duration);
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.due.isAfter(target)) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = next.due;
            }
            if (!next.cancelled[0]) {
                next.body.run();
            }
        }
    }

    public synchronized int pending() {
        return (int) tasks.stream().filter(t -> !t.cancelled[0]).count();
    }
}

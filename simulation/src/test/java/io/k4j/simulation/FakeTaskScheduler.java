package io.k4j.simulation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.PriorityQueue;

/** A {@link TaskScheduler} on a hand-moved clock: {@link #advance} runs whatever falls due, in order. */
final class FakeTaskScheduler implements TaskScheduler {

    private record Entry(Instant due, long order, Runnable task, Duration period, boolean[] cancelled) {
    }

    private final PriorityQueue<Entry> queue = new PriorityQueue<>(
            (a, b) -> a.due.equals(b.due) ? Long.compare(a.order, b.order) : a.due.compareTo(b.due));
    private Instant now;
    private long order;

    FakeTaskScheduler(Instant start) {
        this.now = start;
    }

    @Override
    public Clock clock() {
        return new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        return add(now.plus(delay), task, null);
    }

    @Override
    public synchronized Cancellable scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period) {
        return add(now.plus(initialDelay), task, period);
    }

    private Cancellable add(Instant due, Runnable task, Duration period) {
        boolean[] cancelled = {false};
        queue.add(new Entry(due, order++, task, period, cancelled));
        return () -> cancelled[0] = true;
    }

    void advance(Duration duration) {
        Instant until = now.plus(duration);
        while (true) {
            Entry next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due.isAfter(until)) {
                    now = until;
                    return;
                }
                queue.poll();
                now = next.due;
                if (next.period != null && !next.cancelled[0]) {
                    queue.add(new Entry(next.due.plus(next.period), order++, next.task, next.period, next.cancelled));
                }
            }
            if (!next.cancelled[0]) {
                next.task.run();
            }
        }
    }

    synchronized int pending() {
        return (int) queue.stream().filter(entry -> !entry.cancelled[0]).count();
    }

    @Override
    public void close() {
    }
}

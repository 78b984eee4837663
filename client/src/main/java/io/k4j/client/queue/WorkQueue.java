package io.k4j.client.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A controller's work queue with client-go's guarantees: an item queued several times before a worker takes it is
 * processed once; an item is never handed to two workers at once (one added while it is processed comes back when
 * the worker is {@link #done}); items can wait for a delay ({@link #addAfter}) or for their own exponential backoff
 * ({@link #addRateLimited}). Time comes from the injected clock; {@link #poll()} never blocks, so tests drive the
 * queue with a fake clock and no sleeping.
 */
public final class WorkQueue<K> {

    private record Delayed<K>(K item, long readyAtMillis) {
    }

    private final Clock clock;
    private final ItemBackoff<K> backoff;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<K> ready = new ArrayDeque<>();
    private final Set<K> dirty = new HashSet<>();
    private final Set<K> processing = new HashSet<>();
    private final PriorityQueue<Delayed<K>> waiting = new PriorityQueue<>(
            (a, b) -> Long.compare(a.readyAtMillis, b.readyAtMillis));
    private final Map<K, Long> waitingSince = new HashMap<>();
    private boolean shutDown;

    public WorkQueue(Clock clock) {
        this(clock, new ItemBackoff<>());
    }

    WorkQueue(Clock clock, ItemBackoff<K> backoff) {
        this.clock = clock;
        this.backoff = backoff;
    }

    public void add(K item) {
        lock.lock();
        try {
            if (shutDown || !dirty.add(item)) {
                return;
            }
            if (!processing.contains(item)) {
                ready.add(item);
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Adds the item once the delay has passed; of several pending delays for one item the earliest wins. */
    public void addAfter(K item, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(item);
            return;
        }
        lock.lock();
        try {
            if (shutDown) {
                return;
            }
            long readyAt = clock.millis() + delay.toMillis();
            Long existing = waitingSince.get(item);
            if (existing != null && existing <= readyAt) {
                return;
            }
            waitingSince.put(item, readyAt);
            waiting.add(new Delayed<>(item, readyAt));
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Adds the item after its backoff: 5 ms, doubling with each call until {@link #forget}. */
    public void addRateLimited(K item) {
        addAfter(item, backoff.next(item));
    }

    /** Clears the item's failure count (it was reconciled successfully). */
    public void forget(K item) {
        backoff.forget(item);
    }

    public int failures(K item) {
        return backoff.failures(item);
    }

    /** The next item ready now, or null; the caller must call {@link #done} with it. */
    public K poll() {
        lock.lock();
        try {
            releaseDue();
            return take();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the next item; null once the queue is shut down. The caller must call {@link #done} with it. */
    public K get() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (shutDown) {
                    return null;
                }
                releaseDue();
                K item = take();
                if (item != null) {
                    return item;
                }
                Delayed<K> next = waiting.peek();
                if (next == null) {
                    changed.await();
                } else {
                    changed.await(Math.max(1, next.readyAtMillis - clock.millis()), TimeUnit.MILLISECONDS);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    public void done(K item) {
        lock.lock();
        try {
            processing.remove(item);
            if (dirty.contains(item)) {
                ready.add(item);
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Items ready or being processed, not counting delayed ones. */
    public int length() {
        lock.lock();
        try {
            return ready.size();
        } finally {
            lock.unlock();
        }
    }

    public void shutDown() {
        lock.lock();
        try {
            shutDown = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private K take() {
        K item = ready.poll();
        if (item != null) {
            dirty.remove(item);
            processing.add(item);
        }
        return item;
    }

    private void releaseDue() {
        long now = clock.millis();
        while (!waiting.isEmpty() && waiting.peek().readyAtMillis <= now) {
            Delayed<K> due = waiting.poll();
            Long current = waitingSince.get(due.item);
            if (current == null || current != due.readyAtMillis) {
                continue; // superseded by an earlier delay for the same item
            }
            waitingSince.remove(due.item);
            if (dirty.add(due.item) && !processing.contains(due.item)) {
                ready.add(due.item);
            }
        }
    }
}

package io.k4j.client.queue;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-item exponential backoff, upstream's default for controllers: 5 ms after the first failure, doubling each
 * failure up to 1000 s, until the item is forgotten (a reconcile that succeeded).
 */
final class ItemBackoff<K> {

    static final Duration BASE = Duration.ofMillis(5);
    static final Duration MAX = Duration.ofSeconds(1000);

    private final ConcurrentHashMap<K, Integer> failures = new ConcurrentHashMap<>();
    private final Duration base;
    private final Duration max;

    ItemBackoff(Duration base, Duration max) {
        this.base = base;
        this.max = max;
    }

    ItemBackoff() {
        this(BASE, MAX);
    }

    /** The delay for this failure, counting it. */
    Duration next(K item) {
        int count = failures.merge(item, 1, Integer::sum) - 1;
        if (count >= 40) {
            return max;
        }
        Duration delay = base.multipliedBy(1L << Math.min(count, 62));
        return delay.compareTo(max) > 0 ? max : delay;
    }

    int failures(K item) {
        return failures.getOrDefault(item, 0);
    }

    void forget(K item) {
        failures.remove(item);
    }
}

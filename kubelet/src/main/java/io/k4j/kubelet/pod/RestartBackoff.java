package io.k4j.kubelet.pod;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream's container restart back-off (CrashLoopBackOff) and image pull back-off: the first retry is immediate,
 * then each waits twice as long as the one before, from 10 s up to 5 min; a key left alone for twice the maximum
 * starts again from the beginning. Thread-safe; time from the injected clock.
 */
public final class RestartBackoff {

    public static final Duration INITIAL = Duration.ofSeconds(10);
    public static final Duration MAX = Duration.ofMinutes(5);

    private record Entry(Duration delay, Instant lastTry) {
    }

    private final InstantSource clock;
    private final Duration initial;
    private final Duration max;
    private final Map<String, Entry> entries = new HashMap<>();

    public RestartBackoff(InstantSource clock) {
        this(clock, INITIAL, MAX);
    }

    public RestartBackoff(InstantSource clock, Duration initial, Duration max) {
        this.clock = clock;
        this.initial = initial;
        this.max = max;
    }

    /** How long {@code key} must still wait before its next try; empty when it may go now. */
    public synchronized Optional<Duration> remaining(String key) {
        Entry entry = live(key);
        if (entry == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(clock.instant(), entry.lastTry.plus(entry.delay));
        return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
    }

    /** The delay {@code key} is in (for messages like "back-off 20s restarting ..."). */
    public synchronized Duration current(String key) {
        Entry entry = live(key);
        return entry == null ? initial : entry.delay;
    }

    /** Records a try now: the next one waits for the current delay, and the delay doubles after it. */
    public synchronized void tried(String key) {
        Entry entry = live(key);
        Duration delay = entry == null ? initial : min(entry.delay.multipliedBy(2), max);
        entries.put(key, new Entry(delay, clock.instant()));
    }

    public synchronized void forget(String key) {
        entries.remove(key);
    }

    /** Forgets every key that starts with {@code prefix} (a pod's keys when it goes). */
    public synchronized void forgetPrefix(String prefix) {
        entries.keySet().removeIf(key -> key.startsWith(prefix));
    }

    private Entry live(String key) {
        Entry entry = entries.get(key);
        if (entry != null && Duration.between(entry.lastTry, clock.instant()).compareTo(max.multipliedBy(2)) > 0) {
            entries.remove(key);
            return null;
        }
        return entry;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}

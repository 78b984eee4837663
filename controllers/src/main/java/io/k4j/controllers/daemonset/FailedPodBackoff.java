package io.k4j.controllers.daemonset;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's failedPodsBackoff: a daemon pod that keeps failing on a node is killed and recreated after a delay that
 * doubles from 1 s to 15 min, so a broken daemon does not spin. Keyed by DaemonSet and node.
 */
final class FailedPodBackoff {

    static final Duration INITIAL = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofMinutes(15);

    private record Entry(Instant until, Duration next) {
    }

    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    FailedPodBackoff(Clock clock) {
        this.clock = clock;
    }

    /** Empty when the failed pod may be killed now (and starts the next delay), else how long to wait. */
    Optional<Duration> tryKill(String setKey, String node) {
        Instant now = clock.instant();
        String key = setKey + "@" + node;
        Entry entry = entries.get(key);
        if (entry != null && now.isBefore(entry.until())) {
            return Optional.of(Duration.between(now, entry.until()));
        }
        Duration delay = entry == null || now.isAfter(entry.until().plus(MAX.multipliedBy(2))) ? INITIAL : entry.next();
        Duration next = delay.multipliedBy(2).compareTo(MAX) > 0 ? MAX : delay.multipliedBy(2);
        entries.put(key, new Entry(now.plus(delay), next));
        return Optional.empty();
    }

    void forget(String setKey) {
        entries.keySet().removeIf(key -> key.startsWith(setKey + "@"));
    }
}

package io.k4j.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's event spam filter: a token bucket per involved object (burst 25, refilled one token per 5 minutes),
 * so a ReplicaSet creating 10,000 pods records its first 25 SuccessfulCreate events and then one every 5 minutes,
 * not 10,000. Time comes from the injected clock.
 */
final class EventSpamFilter {

    static final int BURST = 25;
    static final Duration REFILL = Duration.ofMinutes(5);
    private static final int MAX_TRACKED = 10_000;

    private record Bucket(double tokens, Instant updated) {
    }

    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    EventSpamFilter(Clock clock) {
        this.clock = clock;
    }

    /** True if an event about the object with this uid may be written now (taking a token), false to drop it. */
    boolean allow(String uid) {
        Instant now = clock.instant();
        boolean[] allowed = new boolean[1];
        buckets.compute(uid, (key, bucket) -> {
            double tokens = bucket == null ? BURST
                    : Math.min(BURST, bucket.tokens + (double) Duration.between(bucket.updated, now).toMillis() / REFILL.toMillis());
            allowed[0] = tokens >= 1;
            return new Bucket(allowed[0] ? tokens - 1 : tokens, now);
        });
        if (buckets.size() > MAX_TRACKED) {
            // Buckets refilled to the brim say nothing a new bucket would not.
            buckets.entrySet().removeIf(e -> e.getValue().updated.plus(REFILL.multipliedBy(BURST)).isBefore(now));
        }
        return allowed[0];
    }
}

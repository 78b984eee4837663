package io.k4j.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Upstream's event spam filter: a token bucket per involved object (burst 25, refilled one token per 5 minutes),
 * so a ReplicaSet creating 10,000 pods records its first 25 SuccessfulCreate events and then one every 5 minutes,
 * not 10,000. Time comes from the injected clock. Like upstream it remembers the 4,096 objects it saw last (least
 * recently used first out), so each event costs the same however many objects came before; a forgotten object
 * starts again with a full bucket.
 */
final class EventSpamFilter {

    static final int BURST = 25;
    static final Duration REFILL = Duration.ofMinutes(5);
    static final int MAX_TRACKED = 4096;

    private record Bucket(double tokens, Instant updated) {
    }

    private final Clock clock;
    private final Map<String, Bucket> buckets = new LruMap<>(MAX_TRACKED);

    EventSpamFilter(Clock clock) {
        this.clock = clock;
    }

    /** True if an event about the object with this uid may be written now (taking a token), false to drop it. */
    synchronized boolean allow(String uid) {
        Instant now = clock.instant();
        Bucket bucket = buckets.get(uid);
        double tokens = bucket == null ? BURST
                : Math.min(BURST, bucket.tokens + (double) Duration.between(bucket.updated, now).toMillis() / REFILL.toMillis());
        boolean allowed = tokens >= 1;
        buckets.put(uid, new Bucket(allowed ? tokens - 1 : tokens, now));
        return allowed;
    }

    /** How many objects it remembers now. */
    synchronized int tracked() {
        return buckets.size();
    }
}

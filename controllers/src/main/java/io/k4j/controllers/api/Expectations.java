package io.k4j.controllers.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's controller expectations: after a controller creates or deletes N objects for a key, its cache lags
 * behind those writes, and acting on the stale cache would create or delete again. The controller records what it
 * expects, its cache listener lowers the counts as the events arrive, and it acts for the key again only when
 * {@link #satisfied} (or after {@link #TIMEOUT}, in case an event was missed).
 */
public final class Expectations {

    public static final Duration TIMEOUT = Duration.ofMinutes(5);

    private record Pending(int adds, int deletes, Instant since) {
    }

    private final Clock clock;
    private final ConcurrentHashMap<ObjectKey, Pending> pending = new ConcurrentHashMap<>();

    public Expectations(Clock clock) {
        this.clock = clock;
    }

    public void expect(ObjectKey key, int adds, int deletes) {
        pending.put(key, new Pending(adds, deletes, clock.instant()));
    }

    public void creationObserved(ObjectKey key) {
        pending.computeIfPresent(key, (k, p) -> new Pending(p.adds - 1, p.deletes, p.since));
    }

    public void deletionObserved(ObjectKey key) {
        pending.computeIfPresent(key, (k, p) -> new Pending(p.adds, p.deletes - 1, p.since));
    }

    /** True when every expected event was seen, nothing is expected, or the expectation is older than the timeout. */
    public boolean satisfied(ObjectKey key) {
        Pending p = pending.get(key);
        return p == null || (p.adds <= 0 && p.deletes <= 0) || p.since.plus(TIMEOUT).isBefore(clock.instant());
    }

    public void forget(ObjectKey key) {
        pending.remove(key);
    }
}

package io.k4j.proxy;

import java.time.Duration;
import java.time.Instant;

/**
 * When to sync, like kube-proxy's bounded-frequency runner: a requested sync runs at once unless the last one
 * started less than minInterval ago (then it waits until then), and a full resync runs at least every
 * fullResyncInterval. A failed sync stays requested and makes the next one full. Not thread-safe on its own;
 * the sync loop guards it.
 */
final class SyncLimiter {

    /** What the loop should do now: run (full or not), or wait this long. */
    record Decision(boolean run, boolean full, Duration delay) {
    }

    private final Duration minInterval;
    private final Duration fullResyncInterval;
    private Instant lastRun;
    private Instant lastFull;
    private boolean requested;
    private boolean fullRequested = true;

    SyncLimiter(Duration minInterval, Duration fullResyncInterval) {
        if (minInterval.isNegative() || fullResyncInterval.compareTo(minInterval) < 0) {
            throw new IllegalArgumentException("need 0 <= minSyncPeriod <= fullResyncPeriod");
        }
        this.minInterval = minInterval;
        this.fullResyncInterval = fullResyncInterval;
    }

    void request() {
        requested = true;
    }

    void requestFull() {
        requested = true;
        fullRequested = true;
    }

    Decision next(Instant now) {
        if (lastRun == null) {
            return requested ? new Decision(true, true, Duration.ZERO) : new Decision(false, false, null);
        }
        Instant earliest = lastRun.plus(minInterval);
        Instant fullDue = lastFull.plus(fullResyncInterval);
        boolean full = fullRequested || !now.isBefore(fullDue);
        if ((requested || full) && !now.isBefore(earliest)) {
            return new Decision(true, full, Duration.ZERO);
        }
        Instant wakeAt = requested || fullRequested ? earliest : fullDue;
        return new Decision(false, false, Duration.between(now, wakeAt));
    }

    /** Records that a sync starts now; requests arriving from here on call for another sync. */
    void started(Instant now, boolean full) {
        lastRun = now;
        requested = false;
        if (full) {
            fullRequested = false;
            lastFull = now;
        }
        if (lastFull == null) {
            lastFull = now;
        }
    }

    /** A sync failed: try again (a full one) after minInterval. */
    void failed() {
        requested = true;
        fullRequested = true;
    }
}

package io.k4j.controllers.job;

import java.time.Duration;
import java.time.Instant;

/**
 * The delay before a Job replaces failed pods: 10 s after the latest failure, doubling with each failure since the
 * last success, at most 6 minutes (upstream's pod failure backoff).
 */
record FailureBackoff(int failuresSinceSuccess, Instant lastFailure) {

    static final Duration INITIAL = Duration.ofSeconds(10);
    static final Duration MAX = Duration.ofMinutes(6);
    static final FailureBackoff NONE = new FailureBackoff(0, null);

    /** The record after pods finished: any success starts over; failures then count from it. */
    FailureBackoff after(int newSuccesses, int newFailures, Instant now) {
        if (newSuccesses > 0) {
            return newFailures > 0 ? new FailureBackoff(newFailures, now) : NONE;
        }
        return newFailures > 0 ? new FailureBackoff(failuresSinceSuccess + newFailures, now) : this;
    }

    static Duration delayAfter(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        Duration delay = INITIAL;
        for (int i = 1; i < failures && delay.compareTo(MAX) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(MAX) > 0 ? MAX : delay;
    }

    /** How long until a replacement may be created; zero when it may be now. */
    Duration remaining(Instant now) {
        if (failuresSinceSuccess == 0 || lastFailure == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, lastFailure.plus(delayAfter(failuresSinceSuccess)));
        return left.isNegative() ? Duration.ZERO : left;
    }
}

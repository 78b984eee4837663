package io.k4j.simulation;

import java.time.Duration;

/** Upstream kubelet's restart back-off: 10 s after the first exit, doubling up to 5 min. */
public final class CrashLoopBackoff {

    public static final Duration INITIAL = Duration.ofSeconds(10);
    public static final Duration MAX = Duration.ofMinutes(5);

    private CrashLoopBackoff() {
    }

    /** The wait after exit number {@code exits} (0 for the first). */
    public static Duration after(int exits) {
        return exits >= 5 ? MAX : min(INITIAL.multipliedBy(1L << exits), MAX);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}

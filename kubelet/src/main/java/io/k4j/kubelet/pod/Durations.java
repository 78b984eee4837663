package io.k4j.kubelet.pod;

import java.time.Duration;

/** Go's time.Duration formatting for messages users compare with upstream's ("10s", "1m20s", "5m0s"). */
final class Durations {
    private Durations() {
    }

    static String format(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + "m" + seconds % 60 + "s";
        }
        return minutes / 60 + "h" + minutes % 60 + "m" + seconds % 60 + "s";
    }
}

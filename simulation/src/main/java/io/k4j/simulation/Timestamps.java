package io.k4j.simulation;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The Kubernetes API's Time: RFC 3339 in whole seconds. */
final class Timestamps {

    private Timestamps() {
    }

    static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static Instant parse(String time) {
        return time == null ? null : Instant.parse(time);
    }
}

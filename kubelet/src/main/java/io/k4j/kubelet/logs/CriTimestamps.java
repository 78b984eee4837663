package io.k4j.kubelet.logs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/** Go's RFC3339Nano in UTC: nanoseconds with trailing zeros dropped (and no dot at all for whole seconds). */
final class CriTimestamps {

    private static final DateTimeFormatter RFC3339_NANO = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    private CriTimestamps() {
    }

    static String format(Instant time) {
        return RFC3339_NANO.format(time);
    }
}

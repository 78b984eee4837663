package io.k4j.apiserver.table;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import tools.jackson.databind.JsonNode;

/**
 * Human-readable ages and durations, with the precision of apimachinery's {@code duration.HumanDuration}: whole
 * seconds below two minutes ("90s"), minutes and seconds below ten minutes ("5m30s"), minutes below three hours
 * ("150m"), hours and minutes below eight hours ("7h5m"), hours below two days ("30h"), days and hours below eight
 * days ("3d4h"), days below two years ("400d"), years and days below eight years ("2y10d"), then years.
 */
public final class Ages {

    public static final String UNKNOWN = "<unknown>";

    private Ages() {
    }

    /** The age of an object from its {@code metadata.creationTimestamp}, or "&lt;unknown&gt;" without one. */
    public static String of(JsonNode object, Instant now) {
        return since(Nodes.text(object, "metadata", "creationTimestamp"), now);
    }

    /** The time elapsed from an RFC 3339 timestamp to {@code now}; "&lt;unknown&gt;" when missing or unreadable. */
    public static String since(String timestamp, Instant now) {
        Instant then = parse(timestamp);
        return then == null ? UNKNOWN : human(Duration.between(then, now));
    }

    /** An RFC 3339 timestamp (with or without fractional seconds, in UTC or with an offset), or null. */
    public static Instant parse(String timestamp) {
        if (timestamp == null || timestamp.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(timestamp).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    public static String human(Duration d) {
        long seconds = truncatedSeconds(d);
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 60 * 2) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        } else if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        } else if (hours < 48) {
            return hours + "h";
        } else if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        } else if (hours < 24 * 365 * 8) {
            long days = hours / 24 % 365;
            return days == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + days + "d";
        }
        return hours / 24 / 365 + "y";
    }

    /** Whole seconds, rounded toward zero like Go's {@code int(d.Seconds())}. */
    private static long truncatedSeconds(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < 0 && d.getNano() > 0) {
            seconds++;
        }
        return seconds;
    }
}

package io.k4j.kubelet.logs;

import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.List;

/**
 * What {@code GET /containerLogs} asks for, as upstream's PodLogOptions.
 *
 * @param tailLines  only the last lines (negative: all)
 * @param since      only lines written at or after this time (null: all)
 * @param limitBytes stop after this many bytes (negative: no limit)
 */
public record LogOptions(long tailLines, Instant since, boolean timestamps, long limitBytes, boolean follow,
                         boolean previous) {

    public static final LogOptions ALL = new LogOptions(-1, null, false, -1, false, false);

    /**
     * Reads the query parameters; {@code sinceSeconds} counts back from {@code clock}.
     *
     * @throws IllegalArgumentException with a message fit for the user
     */
    public static LogOptions fromQuery(Map<String, List<String>> query, InstantSource clock) {
        long tail = number(query, "tailLines", -1);
        long limit = number(query, "limitBytes", -1);
        long sinceSeconds = number(query, "sinceSeconds", -1);
        String sinceTime = first(query, "sinceTime");
        if (sinceSeconds >= 0 && sinceTime != null) {
            throw new IllegalArgumentException("at most one of sinceTime or sinceSeconds may be specified");
        }
        if (query.containsKey("sinceSeconds") && sinceSeconds < 1) {
            throw new IllegalArgumentException("sinceSeconds: Invalid value: must be greater than 0");
        }
        if (query.containsKey("limitBytes") && limit < 1) {
            throw new IllegalArgumentException("limitBytes: Invalid value: must be greater than 0");
        }
        if (query.containsKey("tailLines") && tail < 0) {
            throw new IllegalArgumentException("tailLines: Invalid value: must be greater than or equal to 0");
        }
        Instant since = null;
        if (sinceSeconds > 0) {
            since = clock.instant().minusSeconds(sinceSeconds);
        } else if (sinceTime != null) {
            try {
                since = Instant.parse(sinceTime);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("sinceTime: Invalid value: \"" + sinceTime + "\": not RFC3339");
            }
        }
        return new LogOptions(tail, since, flag(query, "timestamps"), limit, flag(query, "follow"),
                flag(query, "previous"));
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static long number(Map<String, List<String>> query, String name, long fallback) {
        String value = first(query, name);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": Invalid value: \"" + value + "\": not a number");
        }
    }

    /** Go's strconv.ParseBool (Python sends "True"). */
    static boolean flag(Map<String, List<String>> query, String name) {
        String value = first(query, name);
        if (value == null) {
            return false;
        }
        return switch (value) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            default -> false;
        };
    }
}

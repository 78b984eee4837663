package io.k4j.simulation;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations in Go's {@code time.ParseDuration} syntax (500ms, 3s, 1m30s, 1.5h), as annotations write them. */
public final class GoDurations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L, "ms", 1_000_000L,
            "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDurations() {
    }

    public static Duration parse(String text) {
        String body = text.startsWith("+") || text.startsWith("-") ? text.substring(1) : text;
        if (body.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = PART.matcher(body);
        BigDecimal nanos = BigDecimal.ZERO;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            nanos = nanos.add(new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(matcher.group(2)))));
            end = matcher.end();
        }
        if (end == 0 || end != body.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a Go duration like 500ms, 3s or 1m30s");
        }
        Duration duration = Duration.ofNanos(nanos.longValue());
        return text.startsWith("-") ? duration.negated() : duration;
    }
}

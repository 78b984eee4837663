package io.k4j.ingress.bench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What one wrk run measured: requests per second, the 99th percentile latency, and failed responses. */
public record WrkResult(double requestsPerSecond, double p99Millis, long requests, long errors) {

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P99 = Pattern.compile("\\n\\s*99%\\s+([0-9.]+)(us|ms|s)\\b");
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    /** Parses wrk's report (run with --latency). */
    public static WrkResult parse(String output) {
        Matcher rate = find(RATE, output);
        Matcher p99 = find(P99, output);
        double value = Double.parseDouble(p99.group(1));
        double millis = switch (p99.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
        long errors = 0;
        Matcher non2xx = NON_2XX.matcher(output);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        Matcher socket = SOCKET_ERRORS.matcher(output);
        if (socket.find()) {
            for (int group = 1; group <= 4; group++) {
                errors += Long.parseLong(socket.group(group));
            }
        }
        return new WrkResult(Double.parseDouble(rate.group(1)), millis, Long.parseLong(find(TOTAL, output).group(1)),
                errors);
    }

    private static Matcher find(Pattern pattern, String output) {
        Matcher matcher = pattern.matcher(output);
        if (!matcher.find()) {
            throw new IllegalArgumentException("wrk's output has no " + pattern.pattern() + ":\n" + output);
        }
        return matcher;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.0f req/s, p99 %.2f ms, %d requests, %d errors", requestsPerSecond,
                p99Millis, requests, errors);
    }
}

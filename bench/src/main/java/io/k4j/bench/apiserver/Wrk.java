package io.k4j.bench.apiserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives wrk (Debian's wrk, a C load generator) for the throughput scenarios: on a 2-core machine a Java client
 * would spend more CPU than the server it measures. Requests are made by a Lua script; results are read from
 * wrk's --latency report.
 */
final class Wrk {

    /** What wrk reported. */
    record Report(double requestsPerSecond, double p50Millis, double p99Millis, long requests, long non2xx) {
    }

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    private Wrk() {
    }

    static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/wrk"));
    }

    /**
     * Runs wrk against {@code url} with a Lua script.
     *
     * @param environment variables the script reads with os.getenv
     */
    static Report run(String url, int connections, Duration duration, String script, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path file = Files.createTempFile("k4j-wrk-", ".lua");
        try {
            Files.writeString(file, script, StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(List.of("/usr/bin/wrk", "-t" + Math.min(2, connections), "-c" + connections,
                    "-d" + Math.max(1, duration.toSeconds()) + "s", "--timeout", "30s", "--latency", "-s", file.toString(),
                    url));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IOException("wrk failed: " + out);
            }
            return parse(out);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static Report parse(String out) {
        return new Report(number(RATE, out), latency(out, "50%"), latency(out, "99%"), (long) number(TOTAL, out),
                (long) number(NON_2XX, out));
    }

    private static double number(Pattern pattern, String out) {
        Matcher matcher = pattern.matcher(out);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    /** A line of the latency distribution, like "     99%   12.34ms", in milliseconds. */
    private static double latency(String out, String percentile) {
        Matcher matcher = Pattern.compile("\\s" + Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s)").matcher(out);
        if (!matcher.find()) {
            return Double.NaN;
        }
        double value = Double.parseDouble(matcher.group(1));
        return switch (matcher.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    /**
     * A script that POSTs pods with unique names to a namespace, as {@code Authorization: Bearer $TOKEN} when
     * TOKEN is set; with {@code limit} > 0 each of the two threads stops sending after limit/2 pods (wrk itself
     * still runs until its duration ends).
     */
    static String createPods(String namespace, String prefix, int limit) {
        return """
                local threads = 0
                function setup(thread)
                  threads = threads + 1
                  thread:set("tid", threads)
                end
                counter = 0
                limit = %d
                request = function()
                  counter = counter + 1
                  local name = "%s-" .. tid .. "-" .. counter
                  local body = '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"' .. name .. '","namespace":"%s",' ..
                    '"labels":{"app":"bench"}},"spec":{"containers":[{"name":"app","image":"registry.local/app:1.0",' ..
                    '"resources":{"requests":{"cpu":"10m","memory":"16Mi"}}}]}}'
                  local headers = {["Content-Type"] = "application/json"}
                  if os.getenv("TOKEN") then headers["Authorization"] = "Bearer " .. os.getenv("TOKEN") end
                  return wrk.format("POST", "/api/v1/namespaces/%s/pods", headers, body)
                end
                response = function(status, headers, body)
                  if limit > 0 and counter >= limit / 2 then wrk.thread:stop() end
                end
                """.formatted(limit, prefix, namespace, namespace);
    }

    /** A script that GETs random pods among {@code count} named PREFIX-1..PREFIX-count. */
    static String getPods(String namespace, String prefix, int count) {
        return """
                request = function()
                  local headers = {}
                  if os.getenv("TOKEN") then headers["Authorization"] = "Bearer " .. os.getenv("TOKEN") end
                  return wrk.format("GET", "/api/v1/namespaces/%s/pods/%s-" .. math.random(1, %d), headers)
                end
                """.formatted(namespace, prefix, count);
    }

    /** A script that GETs one path over and over. */
    static String get(String path) {
        return """
                request = function()
                  local headers = {}
                  if os.getenv("TOKEN") then headers["Authorization"] = "Bearer " .. os.getenv("TOKEN") end
                  return wrk.format("GET", "%s", headers)
                end
                """.formatted(path);
    }
}

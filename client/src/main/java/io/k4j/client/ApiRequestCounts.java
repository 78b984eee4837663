package io.k4j.client;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API server's request counts by verb and resource, read from its {@code /metrics} (k4j's
 * {@code apiserver_request_total}); two snapshots tell which requests a benchmark's timed round or a test cost.
 */
public final class ApiRequestCounts {
    private static final Pattern SERIES = Pattern.compile("^apiserver_request_total\\{([^}]*)} ([0-9.eE+]+)$",
            Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final Map<String, Double> counts;

    private ApiRequestCounts(Map<String, Double> counts) {
        this.counts = counts;
    }

    public static ApiRequestCounts read(KubernetesClient client) {
        return parse(client.raw(client.getMasterUrl().toString() + "metrics"));
    }

    /** The counts in a Prometheus text exposition, summed over response codes. */
    static ApiRequestCounts parse(String metrics) {
        Map<String, Double> counts = new TreeMap<>();
        Matcher series = SERIES.matcher(metrics);
        while (series.find()) {
            Map<String, String> labels = new TreeMap<>();
            Matcher label = LABEL.matcher(series.group(1));
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
            counts.merge(key(labels.get("verb"), labels.get("resource")), Double.parseDouble(series.group(2)),
                    Double::sum);
        }
        return new ApiRequestCounts(counts);
    }

    /** Requests of this verb (LIST, CREATE, ...) on this resource so far. */
    public long count(String verb, String resource) {
        return counts.getOrDefault(key(verb, resource), 0.0).longValue();
    }

    private static String key(String verb, String resource) {
        return verb + " " + resource;
    }

    /** "VERB resource: N.NN" per kind of request made since {@code before}, each divided by {@code per}. */
    public String since(ApiRequestCounts before, int per) {
        StringBuilder text = new StringBuilder();
        counts.forEach((key, count) -> {
            double made = count - before.counts.getOrDefault(key, 0.0);
            if (made > 0) {
                text.append(text.isEmpty() ? "" : ", ").append(key).append(": ")
                        .append(String.format(java.util.Locale.ROOT, "%.2f", made / per));
            }
        });
        return text.toString();
    }
}

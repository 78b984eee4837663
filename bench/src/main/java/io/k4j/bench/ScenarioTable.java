package io.k4j.bench;

import java.util.List;
import java.util.Locale;

/** Prints benchmark results as a Markdown table, backends side by side line after line. */
public final class ScenarioTable {

    private ScenarioTable() {
    }

    private static String millis(double value) {
        return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, "%.2f", value);
    }

    public static String markdown(List<Scenario> results) {
        StringBuilder out = new StringBuilder();
        out.append("| scenario | backend | throughput | p50 ms | p99 ms | samples |\n");
        out.append("|---|---|---:|---:|---:|---:|\n");
        List<String> scenarios = results.stream().map(Scenario::scenario).distinct().toList();
        for (String scenario : scenarios) {
            for (Scenario result : results) {
                if (result.scenario().equals(scenario)) {
                    out.append(String.format(Locale.ROOT, "| %s | %s | %,.0f %s | %s | %s | %,d |%n",
                            scenario, result.backend(), result.throughput(), result.unit(), millis(result.p50Millis()),
                            millis(result.p99Millis()), result.samples()));
                }
            }
        }
        return out.toString();
    }
}

package io.k4j.bench;

/**
 * One measured line of a benchmark.
 *
 * @param backend    which store
 * @param scenario   what was measured
 * @param throughput operations (or keys, or events) per second
 * @param unit       what throughput counts
 * @param p50Millis  median latency
 * @param p99Millis  99th percentile latency
 * @param samples    how many latencies were measured
 */
public record Scenario(String backend, String scenario, double throughput, String unit, double p50Millis,
                            double p99Millis, long samples) {
}

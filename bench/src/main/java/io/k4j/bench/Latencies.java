package io.k4j.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds; summarises to percentiles. Not thread-safe: one per thread, then merge. */
public final class Latencies {

    private long[] samples = new long[1024];
    private int size;

    public void add(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    public void addAll(Latencies other) {
        for (int i = 0; i < other.size; i++) {
            add(other.samples[i]);
        }
    }

    public void clear() {
        size = 0;
    }

    public int count() {
        return size;
    }

    /** The q-quantile (0..1) in milliseconds, nearest-rank. */
    public double percentileMillis(double q) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * size) - 1;
        return sorted[Math.max(0, Math.min(size - 1, rank))] / 1_000_000.0;
    }
}

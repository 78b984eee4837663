package io.k4j.kubelet.stats;

import io.k4j.kubelet.prober.TaskScheduler;
import io.k4j.kubelet.runtime.ContainerRuntime;
import io.k4j.kubelet.runtime.ContainerStats;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the tracked containers' cgroup stats every interval and keeps, per container, the latest sample with the
 * CPU rate derived from the previous one (cAdvisor's and CRI's usageNanoCores). Kept for the metrics API.
 */
public final class StatsCollector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatsCollector.class);
    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

    private final ContainerRuntime runtime;
    private final TaskScheduler scheduler;
    private final Duration interval;
    private final Map<String, Optional<Usage>> tracked = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile TaskScheduler.Cancellable pending;

    public StatsCollector(ContainerRuntime runtime, TaskScheduler scheduler, Duration interval) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("stats interval must be positive, got " + interval);
        }
        this.runtime = runtime;
        this.scheduler = scheduler;
        this.interval = interval;
    }

    /** Takes the first samples now, then one every interval. */
    public void start() {
        pending = scheduler.schedule(this::pollAndReschedule, Duration.ZERO);
    }

    public void track(String containerId) {
        tracked.putIfAbsent(containerId, Optional.empty());
    }

    public void untrack(String containerId) {
        tracked.remove(containerId);
    }

    /** The latest sample; empty before the first one (or for a container not tracked). */
    public Optional<Usage> usage(String containerId) {
        return tracked.getOrDefault(containerId, Optional.empty());
    }

    /** Samples every tracked container once (the scheduler calls this; tests may too). */
    public void poll() {
        for (String id : tracked.keySet()) {
            ContainerStats stats;
            try {
                stats = runtime.stats(id);
            } catch (IOException | RuntimeException e) {
                LOG.debug("no stats for container {}: {}", id, e.getMessage());
                continue;
            }
            // computeIfPresent: a container untracked meanwhile stays untracked
            tracked.computeIfPresent(id, (key, previous) -> Optional.of(next(previous.orElse(null), stats)));
        }
    }

    static Usage next(Usage previous, ContainerStats stats) {
        OptionalLong rate = OptionalLong.empty();
        if (previous != null) {
            long nanos = Duration.between(previous.timestamp(), stats.timestamp()).toNanos();
            long cpu = stats.cpuUsageNanos() - previous.usageCoreNanoSeconds();
            if (nanos > 0 && cpu >= 0) {
                // cpu ns per elapsed ns is cores; in nanocores: cpu * 1e9 / nanos (BigInteger: no overflow)
                rate = OptionalLong.of(BigInteger.valueOf(cpu).multiply(NANOS_PER_SECOND)
                        .divide(BigInteger.valueOf(nanos)).longValueExact());
            } else if (nanos == 0) {
                rate = previous.usageNanoCores(); // the same sample again
            }
        }
        return new Usage(stats.timestamp(), rate, stats.cpuUsageNanos(), stats.memoryWorkingSetBytes(),
                stats.memoryUsageBytes());
    }

    private void pollAndReschedule() {
        if (closed) {
            return;
        }
        poll();
        if (!closed) {
            pending = scheduler.schedule(this::pollAndReschedule, interval);
        }
    }

    @Override
    public void close() {
        closed = true;
        TaskScheduler.Cancellable last = pending;
        if (last != null) {
            last.cancel();
        }
    }
}

package io.k4j.kubelet.stats;

import java.time.Instant;
import java.util.OptionalLong;

/**
 * A container's latest resource use, as CRI's ContainerStats reports it.
 *
 * @param usageNanoCores            CPU use between the last two samples in billionths of a core; empty until a
 *                                  second sample arrives (or after the cumulative counter went backwards)
 * @param usageCoreNanoSeconds      cumulative CPU time
 * @param memoryWorkingSetBytes     memory in use minus inactive file pages (what eviction and metrics use)
 */
public record Usage(Instant timestamp, OptionalLong usageNanoCores, long usageCoreNanoSeconds,
        long memoryWorkingSetBytes, long memoryUsageBytes) {
}

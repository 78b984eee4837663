package io.k4j.kubelet.runtime;

import java.time.Instant;

/** A container's resource use from its cgroup, at {@code timestamp}: cumulative CPU and current memory. */
public record ContainerStats(String containerId, Instant timestamp, long cpuUsageNanos, long memoryUsageBytes,
        long memoryWorkingSetBytes) {
}

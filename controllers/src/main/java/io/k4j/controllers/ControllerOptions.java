package io.k4j.controllers;

import java.time.Clock;
import java.time.Duration;

/**
 * Settings controllers read, with upstream kube-controller-manager's defaults (and k3s's cluster CIDR).
 *
 * @param clock                   time for every deadline, backoff, grace period and schedule
 * @param workers                 workers per controller (upstream's --concurrent-*-syncs default to 5)
 * @param clusterCidr             where node pod CIDRs come from
 * @param nodeCidrMaskSize        the size of each node's pod CIDR
 * @param nodeMonitorGracePeriod  how long a node's lease may go unrenewed before it is NotReady
 * @param nodeStartupGracePeriod  how long a new node may take to report Ready
 * @param terminatedPodGcThreshold terminated pods kept before PodGC deletes the oldest
 */
public record ControllerOptions(Clock clock, int workers, String clusterCidr, int nodeCidrMaskSize,
        Duration nodeMonitorGracePeriod, Duration nodeStartupGracePeriod, int terminatedPodGcThreshold) {

    public static ControllerOptions defaults() {
        return new ControllerOptions(Clock.systemUTC(), 5, "10.42.0.0/16", 24, Duration.ofSeconds(40),
                Duration.ofSeconds(60), 12_500);
    }

    public ControllerOptions withClock(Clock newClock) {
        return new ControllerOptions(newClock, workers, clusterCidr, nodeCidrMaskSize, nodeMonitorGracePeriod,
                nodeStartupGracePeriod, terminatedPodGcThreshold);
    }

    public ControllerOptions withClusterCidr(String cidr) {
        return new ControllerOptions(clock, workers, cidr, nodeCidrMaskSize, nodeMonitorGracePeriod,
                nodeStartupGracePeriod, terminatedPodGcThreshold);
    }

    public ControllerOptions withNodeMonitorGracePeriod(Duration period) {
        return new ControllerOptions(clock, workers, clusterCidr, nodeCidrMaskSize, period, nodeStartupGracePeriod,
                terminatedPodGcThreshold);
    }

    public ControllerOptions withNodeCidrMaskSize(int maskSize) {
        return new ControllerOptions(clock, workers, clusterCidr, maskSize, nodeMonitorGracePeriod,
                nodeStartupGracePeriod, terminatedPodGcThreshold);
    }

    public ControllerOptions withNodeStartupGracePeriod(Duration period) {
        return new ControllerOptions(clock, workers, clusterCidr, nodeCidrMaskSize, nodeMonitorGracePeriod, period,
                terminatedPodGcThreshold);
    }

    public ControllerOptions withTerminatedPodGcThreshold(int threshold) {
        return new ControllerOptions(clock, workers, clusterCidr, nodeCidrMaskSize, nodeMonitorGracePeriod,
                nodeStartupGracePeriod, threshold);
    }
}

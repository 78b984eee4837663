package io.k4j.controllers;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Settings controllers read, with upstream kube-controller-manager's defaults (and k3s's cluster CIDR).
 *
 * @param clock                    time for every deadline, backoff, grace period and schedule
 * @param concurrentSyncs          workers per controller name, where they differ from {@link #DEFAULT_WORKERS}
 * @param clusterCidr              where node pod CIDRs come from
 * @param nodeCidrMaskSize         the size of each node's pod CIDR
 * @param nodeMonitorGracePeriod   how long a node's lease may go unrenewed before it is NotReady
 * @param nodeStartupGracePeriod   how long a new node may take to report Ready
 * @param terminatedPodGcThreshold terminated pods kept before PodGC deletes the oldest
 * @param localStorageDir          where the local-path provisioner puts volumes on nodes
 */
public record ControllerOptions(Clock clock, Map<String, Integer> concurrentSyncs, String clusterCidr,
        int nodeCidrMaskSize, Duration nodeMonitorGracePeriod, Duration nodeStartupGracePeriod,
        int terminatedPodGcThreshold, java.nio.file.Path localStorageDir) {

    /** Upstream's --concurrent-*-syncs default for most controllers. */
    public static final int DEFAULT_WORKERS = 5;

    /** Upstream's defaults where they are not 5 (its garbage collector 20, namespaces 10, daemon sets 2, ...). */
    static final Map<String, Integer> UPSTREAM_WORKERS = Map.of("garbagecollector", 20, "namespace", 10,
            "daemonset", 2, "node-lifecycle", 1, "node-ipam", 1, "pod-garbage-collector", 1, "disruption", 1,
            "taint-eviction", 8);

    public ControllerOptions {
        concurrentSyncs = Map.copyOf(concurrentSyncs);
    }

    public static ControllerOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How many workers the named controller runs. */
    public int workers(String controller) {
        return concurrentSyncs.getOrDefault(controller, UPSTREAM_WORKERS.getOrDefault(controller, DEFAULT_WORKERS));
    }

    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private final Map<String, Integer> concurrentSyncs = new HashMap<>();
        private String clusterCidr = "10.42.0.0/16";
        private int nodeCidrMaskSize = 24;
        private Duration nodeMonitorGracePeriod = Duration.ofSeconds(40);
        private Duration nodeStartupGracePeriod = Duration.ofSeconds(60);
        private int terminatedPodGcThreshold = 12_500;
        private java.nio.file.Path localStorageDir = java.nio.file.Path.of("/var/lib/k4j/storage");

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Workers for one controller (upstream's --concurrent-NAME-syncs). */
        public Builder concurrentSyncs(String controller, int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("workers for " + controller + " must be at least 1, not " + workers);
            }
            concurrentSyncs.put(controller, workers);
            return this;
        }

        public Builder clusterCidr(String clusterCidr) {
            this.clusterCidr = clusterCidr;
            return this;
        }

        public Builder nodeCidrMaskSize(int nodeCidrMaskSize) {
            this.nodeCidrMaskSize = nodeCidrMaskSize;
            return this;
        }

        public Builder nodeMonitorGracePeriod(Duration period) {
            this.nodeMonitorGracePeriod = period;
            return this;
        }

        public Builder nodeStartupGracePeriod(Duration period) {
            this.nodeStartupGracePeriod = period;
            return this;
        }

        public Builder terminatedPodGcThreshold(int threshold) {
            this.terminatedPodGcThreshold = threshold;
            return this;
        }

        public Builder localStorageDir(java.nio.file.Path dir) {
            this.localStorageDir = dir;
            return this;
        }

        public ControllerOptions build() {
            return new ControllerOptions(clock, concurrentSyncs, clusterCidr, nodeCidrMaskSize, nodeMonitorGracePeriod,
                    nodeStartupGracePeriod, terminatedPodGcThreshold, localStorageDir);
        }
    }
}

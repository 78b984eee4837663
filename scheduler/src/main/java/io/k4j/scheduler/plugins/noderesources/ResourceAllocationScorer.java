package io.k4j.scheduler.plugins.noderesources;

import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.Resources;
import java.util.List;

/**
 * Upstream's resourceAllocationScorer: for each configured resource, the node's allocatable amount and what would
 * be requested with the pod on it, handed to a scoring function. With {@code useRequested} false (NodeResourcesFit's
 * strategies) CPU and memory count the scorers' defaults for containers that request none.
 */
final class ResourceAllocationScorer {

    /** Turns per-resource requested and allocatable amounts (aligned with the resources) into a node score. */
    @FunctionalInterface
    interface Function {
        long score(long[] requested, long[] allocatable);
    }

    final String name;
    final List<ResourceSpec> resources;
    final boolean useRequested;
    final Function scorer;
    /** Each resource's kind, worked out once: the score runs for every feasible node of every cycle. */
    private final Kind[] kinds;

    private enum Kind { CPU, MEMORY, EPHEMERAL_STORAGE, SCALAR, OTHER }

    /**
     * The pod's requests of the scored resources, in the resources' order, computed once per cycle by PreScore, and
     * the cycle's scratch arrays for a node's requested and allocatable amounts: scoring 500 nodes allocated two
     * arrays per node and plugin, half of what a cycle allocated.
     */
    record PreScoreState(long[] podRequests, long[] requested, long[] allocatable)
            implements io.k4j.scheduler.framework.CycleState.Data {

        PreScoreState(long[] podRequests) {
            this(podRequests, new long[podRequests.length], new long[podRequests.length]);
        }

        @Override
        public io.k4j.scheduler.framework.CycleState.Data copy() {
            return new PreScoreState(podRequests); // scratch is per state: a copy may be scored on another thread
        }
    }

    private final io.k4j.scheduler.framework.CycleState.Key<PreScoreState> preScoreKey;

    ResourceAllocationScorer(String name, List<ResourceSpec> resources, boolean useRequested, Function scorer) {
        this.preScoreKey = new io.k4j.scheduler.framework.CycleState.Key<>("PreScore" + name);
        this.name = name;
        this.resources = resources;
        this.useRequested = useRequested;
        this.scorer = scorer;
        this.kinds = resources.stream().map(resource -> switch (resource.name()) {
            case Resources.CPU -> Kind.CPU;
            case Resources.MEMORY -> Kind.MEMORY;
            case Resources.EPHEMERAL_STORAGE -> Kind.EPHEMERAL_STORAGE;
            default -> isScalar(resource.name()) ? Kind.SCALAR : Kind.OTHER;
        }).toArray(Kind[]::new);
    }

    /** The pod's request of each configured resource, in the resources' order. */
    long[] podRequests(PodInfo pod) {
        Resources requests = useRequested ? pod.requests() : pod.nonZeroRequests();
        long[] result = new long[resources.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = requests.get(resources.get(i).name());
        }
        return result;
    }

    /** PreScore of the plugin that owns this scorer: the pod's requests, once per cycle. */
    void preScore(io.k4j.scheduler.framework.CycleState state, PodInfo pod) {
        state.write(preScoreKey, new PreScoreState(podRequests(pod)));
    }

    /** Score of the plugin that owns this scorer (PreScore's requests, or the pod's when PreScore did not run). */
    long score(io.k4j.scheduler.framework.CycleState state, PodInfo pod, NodeInfo nodeInfo) {
        PreScoreState s = state.read(preScoreKey);
        return score(nodeInfo, s != null ? s : new PreScoreState(podRequests(pod)));
    }

    long score(NodeInfo nodeInfo, long[] podRequests) {
        return score(nodeInfo, new PreScoreState(podRequests));
    }

    private long score(NodeInfo nodeInfo, PreScoreState state) {
        int n = kinds.length;
        long[] podRequests = state.podRequests();
        long[] requested = state.requested();
        long[] allocatable = state.allocatable();
        java.util.Arrays.fill(requested, 0);
        java.util.Arrays.fill(allocatable, 0);
        Resources nodeRequested = useRequested ? nodeInfo.requested() : nodeInfo.nonZeroRequested();
        Resources alloc = nodeInfo.allocatable();
        for (int i = 0; i < n; i++) {
            long podRequest = podRequests[i];
            long a;
            long r;
            switch (kinds[i]) {
                case CPU -> {
                    a = alloc.milliCpu;
                    r = nodeRequested.milliCpu + podRequest;
                }
                case MEMORY -> {
                    a = alloc.memory;
                    r = nodeRequested.memory + podRequest;
                }
                case EPHEMERAL_STORAGE -> {
                    a = alloc.ephemeralStorage;
                    r = nodeInfo.requested().ephemeralStorage + podRequest;
                }
                case SCALAR -> {
                    String resource = resources.get(i).name();
                    if (podRequest == 0 || !alloc.scalars().containsKey(resource)) {
                        continue; // an extended resource the pod does not ask for is left out of the score
                    }
                    a = alloc.scalar(resource);
                    r = nodeInfo.requested().scalar(resource) + podRequest;
                }
                default -> {
                    continue; // pods: not a scored resource
                }
            }
            if (a == 0) {
                continue;
            }
            allocatable[i] = a;
            requested[i] = r;
        }
        return scorer.score(requested, allocatable);
    }

    /** Upstream's IsScalarResourceName, for the names k4j keeps as scalars: anything but the four built-ins. */
    static boolean isScalar(String resource) {
        return !Resources.CPU.equals(resource) && !Resources.MEMORY.equals(resource)
                && !Resources.EPHEMERAL_STORAGE.equals(resource) && !Resources.PODS.equals(resource);
    }
}

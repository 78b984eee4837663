package io.k4j.scheduler.plugins.noderesources;

import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.Handle;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.PreScorePlugin;
import io.k4j.scheduler.framework.ScorePlugin;
import io.k4j.scheduler.framework.Status;
import java.util.List;

/**
 * Upstream's NodeResourcesBalancedAllocation: favours nodes whose resources (cpu and memory by default) would be used
 * in equal fractions with the pod on them: 100 × (1 − the standard deviation of the fractions). As upstream since
 * v1.24, it counts the pods' actual requests, not the scorers' non-zero defaults.
 *
 * <p>Args (NodeResourcesBalancedAllocationArgs): {@code resources} of {name, weight}.
 */
public final class BalancedAllocation implements PreScorePlugin, ScorePlugin {

    public static final String NAME = "NodeResourcesBalancedAllocation";


    private final ResourceAllocationScorer scorer;

    public BalancedAllocation(PluginArgs args, Handle handle) {
        List<ResourceSpec> resources = ResourceSpec.parse(args.values().get("resources"), "resources");
        this.scorer = new ResourceAllocationScorer(NAME, resources, true, Scorers::balanced);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes) {
        scorer.preScore(state, pod);
        return Status.success();
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo nodeInfo) {
        return scorer.score(state, pod, nodeInfo);
    }
}

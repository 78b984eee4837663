package io.k4j.scheduler.framework;

import java.util.List;

/** Runs once per cycle over the feasible nodes, before scoring; SKIP leaves this plugin's Score out. */
public interface PreScorePlugin extends Plugin {
    Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes);
}

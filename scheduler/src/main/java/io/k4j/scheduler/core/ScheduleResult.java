package io.k4j.scheduler.core;

import java.util.List;
import java.util.Map;

/**
 * A successful placement: the node, how many nodes were evaluated and found feasible, and the best-scored nodes with
 * each plugin's weighted score (for the explanation recorded on the pod).
 */
public record ScheduleResult(String node, int evaluatedNodes, int feasibleNodes, List<NodeScore> topNodes,
                             Diagnosis diagnosis) {

    public record NodeScore(String node, long total, Map<String, Long> byPlugin) {
    }
}

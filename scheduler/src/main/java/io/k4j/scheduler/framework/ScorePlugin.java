package io.k4j.scheduler.framework;

import java.util.List;

/**
 * Ranks feasible nodes. Scores end in [0, {@link #MAX_NODE_SCORE}] after {@link #normalizeScores}; the framework
 * multiplies them by the profile's weight for the plugin and sums over plugins.
 */
public interface ScorePlugin extends Plugin {

    long MAX_NODE_SCORE = 100;
    long MIN_NODE_SCORE = 0;

    /** The raw score of one node. Must be safe to call from several threads for different nodes. */
    long score(CycleState state, PodInfo pod, NodeInfo node);

    /** Rescales the raw scores (aligned with nodes) in place; the default leaves them as they are. */
    default void normalizeScores(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
    }

    /** Scales scores to [0, 100] by the highest one; reverse makes the lowest raw score the best. */
    static void normalizeToMax(long[] scores, boolean reverse) {
        long max = 0;
        for (long score : scores) {
            max = Math.max(max, score);
        }
        for (int i = 0; i < scores.length; i++) {
            if (max == 0) {
                scores[i] = reverse ? MAX_NODE_SCORE : 0;
            } else {
                long scaled = scores[i] * MAX_NODE_SCORE / max;
                scores[i] = reverse ? MAX_NODE_SCORE - scaled : scaled;
            }
        }
    }
}

package io.k4j.scheduler.api;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;

/**
 * Why the scheduler placed a pod where it did, or why it could not: recorded on the pod in the
 * {@value #ANNOTATION} annotation (JSON) and printed by {@code k4j explain pod}. A failed attempt lists the
 * nodes turned down, grouped by plugin and reason; a successful one also lists the best-scored nodes with each
 * plugin's weighted score.
 *
 * @param result "Scheduled", "Unschedulable" or "SchedulerError"
 * @param node the chosen node (Scheduled only)
 * @param message upstream's FitError message (failures only)
 * @param preemption what preemption said (failures only; empty when it did not run)
 * @param nominatedNode where preemption made room, if it did
 */
public record Explanation(String result, String profile, String node, int allNodes, int evaluatedNodes,
                          int feasibleNodes, String message, String preemption, String nominatedNode,
                          List<Rejection> rejected, List<Candidate> topNodes) {

    public static final String ANNOTATION = "scheduling.k4j.io/explanation";
    /** At most this many node names are kept per rejection group (the count is exact). */
    public static final int MAX_NODES_PER_GROUP = 20;

    /** Nodes one plugin turned down for one reason. */
    public record Rejection(String plugin, String reason, int count, List<String> nodes) {
    }

    /** A feasible node, its total score and each plugin's weighted part. */
    public record Candidate(String node, long score, Map<String, Long> plugins) {
    }

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    /** The same explanation, naming the node preemption made room on (null: none). */
    public Explanation withNominatedNode(String node) {
        return new Explanation(result, profile, this.node, allNodes, evaluatedNodes, feasibleNodes, message, preemption,
                node, rejected, topNodes);
    }

    public String toJson() {
        return JSON.asJson(this);
    }

    public static Explanation fromJson(String json) {
        return JSON.unmarshal(json, Explanation.class);
    }
}

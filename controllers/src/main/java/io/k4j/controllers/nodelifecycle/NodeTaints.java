package io.k4j.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The taints the node lifecycle controller owns, derived from a node's conditions as upstream's tainting passes do:
 * NoSchedule taints for every unhealthy condition and for cordoned nodes, and the NoExecute not-ready or
 * unreachable taint that makes the taint eviction controller evict pods.
 */
public final class NodeTaints {

    public static final String NOT_READY = "node.kubernetes.io/not-ready";
    public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
    static final String NO_SCHEDULE = "NoSchedule";
    static final String NO_EXECUTE = "NoExecute";

    /** Condition type and status -> the NoSchedule taint it brings (upstream's nodeConditionToTaintKeyStatusMap). */
    private static final Map<String, Map<String, String>> CONDITION_TAINTS = Map.of(
            NodeConditions.READY, Map.of("False", NOT_READY, "Unknown", UNREACHABLE),
            "MemoryPressure", Map.of("True", "node.kubernetes.io/memory-pressure"),
            "DiskPressure", Map.of("True", "node.kubernetes.io/disk-pressure"),
            "PIDPressure", Map.of("True", "node.kubernetes.io/pid-pressure"),
            "NetworkUnavailable", Map.of("True", "node.kubernetes.io/network-unavailable"));

    private static final Set<String> OWNED_NO_SCHEDULE = Set.of(NOT_READY, UNREACHABLE, UNSCHEDULABLE,
            "node.kubernetes.io/memory-pressure", "node.kubernetes.io/disk-pressure",
            "node.kubernetes.io/pid-pressure", "node.kubernetes.io/network-unavailable");
    private static final Set<String> OWNED_NO_EXECUTE = Set.of(NOT_READY, UNREACHABLE);

    private record KeyEffect(String key, String effect) {
    }

    private NodeTaints() {
    }

    /**
     * The node's taints with the owned ones brought in line with its conditions (NoExecute ones only when
     * {@code evict}); taints kept keep their timeAdded, new NoExecute ones get {@code now}. Null when unchanged.
     */
    static List<Taint> reconciled(Node node, boolean evict, Instant now) {
        Set<KeyEffect> wanted = wanted(node, evict);
        List<Taint> current = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of()
                : node.getSpec().getTaints();
        List<Taint> result = new ArrayList<>();
        Set<KeyEffect> present = new LinkedHashSet<>();
        for (Taint taint : current) {
            KeyEffect keyEffect = new KeyEffect(taint.getKey(), taint.getEffect());
            if (!owned(keyEffect) || wanted.contains(keyEffect)) {
                result.add(taint);
                present.add(keyEffect);
            }
        }
        for (KeyEffect keyEffect : wanted) {
            if (!present.contains(keyEffect)) {
                result.add(new TaintBuilder().withKey(keyEffect.key).withEffect(keyEffect.effect)
                        .withTimeAdded(NO_EXECUTE.equals(keyEffect.effect) ? NodeConditions.seconds(now) : null).build());
            }
        }
        return Objects.equals(result, current) ? null : result;
    }

    private static Set<KeyEffect> wanted(Node node, boolean evict) {
        Set<KeyEffect> wanted = new LinkedHashSet<>();
        List<NodeCondition> conditions = node.getStatus() == null || node.getStatus().getConditions() == null
                ? List.of() : node.getStatus().getConditions();
        for (NodeCondition condition : conditions) {
            String key = CONDITION_TAINTS.getOrDefault(condition.getType(), Map.of()).get(condition.getStatus());
            if (key != null) {
                wanted.add(new KeyEffect(key, NO_SCHEDULE));
            }
        }
        if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            wanted.add(new KeyEffect(UNSCHEDULABLE, NO_SCHEDULE));
        }
        if (evict) {
            String ready = NodeConditions.readyStatus(node);
            if ("False".equals(ready)) {
                wanted.add(new KeyEffect(NOT_READY, NO_EXECUTE));
            } else if (NodeConditions.UNKNOWN.equals(ready) && NodeConditions.find(node, NodeConditions.READY) != null) {
                wanted.add(new KeyEffect(UNREACHABLE, NO_EXECUTE));
            }
        }
        return wanted;
    }

    private static boolean owned(KeyEffect keyEffect) {
        return NO_SCHEDULE.equals(keyEffect.effect) ? OWNED_NO_SCHEDULE.contains(keyEffect.key)
                : NO_EXECUTE.equals(keyEffect.effect) && OWNED_NO_EXECUTE.contains(keyEffect.key);
    }

}

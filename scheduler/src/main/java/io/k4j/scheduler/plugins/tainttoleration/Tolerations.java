package io.k4j.scheduler.plugins.tainttoleration;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.function.Predicate;

/**
 * Toleration matching as upstream's {@code Toleration.ToleratesTaint} and {@code v1helper}: an empty effect matches
 * every effect, an empty key with operator Exists matches every taint, operator Exists ignores the value, and an
 * empty operator means Equal.
 */
public final class Tolerations {

    public static final String EFFECT_NO_SCHEDULE = "NoSchedule";
    public static final String EFFECT_PREFER_NO_SCHEDULE = "PreferNoSchedule";
    public static final String EFFECT_NO_EXECUTE = "NoExecute";
    public static final String OPERATOR_EXISTS = "Exists";
    public static final String OPERATOR_EQUAL = "Equal";

    /** The taint the node controller puts on cordoned nodes (spec.unschedulable). */
    public static final String TAINT_NODE_UNSCHEDULABLE = "node.kubernetes.io/unschedulable";

    /** Taints that keep pods off a node: NoSchedule and NoExecute (upstream's DoNotScheduleTaintsFilterFunc). */
    public static final Predicate<Taint> DO_NOT_SCHEDULE =
            taint -> EFFECT_NO_SCHEDULE.equals(taint.getEffect()) || EFFECT_NO_EXECUTE.equals(taint.getEffect());

    private Tolerations() {
    }

    /** Whether one toleration tolerates the taint. */
    public static boolean tolerates(Toleration toleration, Taint taint) {
        if (!isEmpty(toleration.getEffect()) && !toleration.getEffect().equals(taint.getEffect())) {
            return false;
        }
        if (!isEmpty(toleration.getKey()) && !toleration.getKey().equals(taint.getKey())) {
            return false;
        }
        String operator = toleration.getOperator();
        if (isEmpty(operator) || OPERATOR_EQUAL.equals(operator)) {
            return nullToEmpty(toleration.getValue()).equals(nullToEmpty(taint.getValue()));
        }
        return OPERATOR_EXISTS.equals(operator);
    }

    /** Whether any of the tolerations tolerates the taint. */
    public static boolean tolerate(List<Toleration> tolerations, Taint taint) {
        if (tolerations == null) {
            return false;
        }
        for (Toleration toleration : tolerations) {
            if (tolerates(toleration, taint)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the tolerations tolerate a taint with this key and effect and no value. */
    public static boolean tolerate(List<Toleration> tolerations, String key, String effect) {
        Taint taint = new Taint();
        taint.setKey(key);
        taint.setEffect(effect);
        return tolerate(tolerations, taint);
    }

    /**
     * The first taint (in the node's order) that the filter selects and no toleration tolerates, or null when every
     * selected taint is tolerated (upstream's FindMatchingUntoleratedTaint).
     */
    public static Taint findUntolerated(List<Taint> taints, List<Toleration> tolerations, Predicate<Taint> filter) {
        if (taints == null) {
            return null;
        }
        for (Taint taint : taints) {
            if (filter != null && !filter.test(taint)) {
                continue;
            }
            if (!tolerate(tolerations, taint)) {
                return taint;
            }
        }
        return null;
    }

    /** The node's taints, never null. */
    public static List<Taint> taints(Node node) {
        if (node == null || node.getSpec() == null || node.getSpec().getTaints() == null) {
            return List.of();
        }
        return node.getSpec().getTaints();
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}

package io.k4j.scheduler.plugins.defaultpreemption;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/** Matches a PodDisruptionBudget's selector against pod labels the way preemption reads it. */
final class PdbSelectors {

    private PdbSelectors() {
    }

    /**
     * True when the selector selects these labels. As upstream's filterPodsWithPDBViolation: a nil or empty selector
     * matches nothing, and so does an invalid one (an unknown operator, In/NotIn without values, Exists/DoesNotExist
     * with values).
     */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> matchLabels = selector.getMatchLabels();
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
        boolean noLabels = matchLabels == null || matchLabels.isEmpty();
        boolean noExpressions = expressions == null || expressions.isEmpty();
        if (noLabels && noExpressions) {
            return false;
        }
        if (!noExpressions) {
            for (LabelSelectorRequirement requirement : expressions) {
                if (!valid(requirement)) {
                    return false;
                }
            }
        }
        if (!noLabels) {
            for (Map.Entry<String, String> entry : matchLabels.entrySet()) {
                if (!entry.getValue().equals(labels.get(entry.getKey()))) {
                    return false;
                }
            }
        }
        if (!noExpressions) {
            for (LabelSelectorRequirement requirement : expressions) {
                if (!matches(requirement, labels)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean valid(LabelSelectorRequirement requirement) {
        List<String> values = requirement.getValues();
        boolean hasValues = values != null && !values.isEmpty();
        String operator = requirement.getOperator();
        if (requirement.getKey() == null || requirement.getKey().isEmpty() || operator == null) {
            return false;
        }
        return switch (operator) {
            case "In", "NotIn" -> hasValues;
            case "Exists", "DoesNotExist" -> !hasValues;
            default -> false;
        };
    }

    private static boolean matches(LabelSelectorRequirement requirement, Map<String, String> labels) {
        String value = labels.get(requirement.getKey());
        return switch (requirement.getOperator()) {
            case "In" -> value != null && requirement.getValues().contains(value);
            case "NotIn" -> value == null || !requirement.getValues().contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> false;
        };
    }
}

package io.k4j.scheduler.plugins;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Label selectors (metav1.LabelSelector) compiled once and matched many times, as apimachinery's
 * {@code LabelSelectorAsSelector}: a null selector selects nothing, an empty one ({@code {}}) selects everything,
 * matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist) are ANDed. Shared by the plugins that match
 * pods by label (inter-pod affinity, topology spreading).
 */
public final class LabelSelectors {

    private LabelSelectors() {
    }

    /** Matches nothing (apimachinery's labels.Nothing(), what a nil selector converts to). */
    public static final Selector NOTHING = new Selector(new Requirement[0], true);
    /** Matches everything (labels.Everything(), what an empty selector converts to). */
    public static final Selector EVERYTHING = new Selector(new Requirement[0], false);

    public enum Operator {
        IN, NOT_IN, EXISTS, DOES_NOT_EXIST
    }

    /** One requirement: key, operator, values (sorted, deduplicated). */
    public record Requirement(String key, Operator operator, String[] values) {

        public boolean matches(Map<String, String> labels) {
            String value = labels == null ? null : labels.get(key);
            return switch (operator) {
                case EXISTS -> value != null;
                case DOES_NOT_EXIST -> value == null;
                case IN -> value != null && contains(value);
                case NOT_IN -> value == null || !contains(value);
            };
        }

        private boolean contains(String value) {
            String[] vs = values;
            if (vs.length == 1) {
                return vs[0].equals(value);
            }
            for (String v : vs) {
                if (v.equals(value)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Requirement r && key.equals(r.key) && operator == r.operator
                    && Arrays.equals(values, r.values);
        }

        @Override
        public int hashCode() {
            return (key.hashCode() * 31 + operator.hashCode()) * 31 + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return switch (operator) {
                case EXISTS -> key;
                case DOES_NOT_EXIST -> "!" + key;
                case IN -> values.length == 1 ? key + "=" + values[0] : key + " in (" + String.join(",", values) + ")";
                case NOT_IN -> values.length == 1 ? key + "!=" + values[0]
                        : key + " notin (" + String.join(",", values) + ")";
            };
        }
    }

    /** A compiled selector; immutable and safe to share between threads. */
    public static final class Selector {
        private final Requirement[] requirements;
        private final boolean nothing;

        private Selector(Requirement[] requirements, boolean nothing) {
            this.requirements = requirements;
            this.nothing = nothing;
        }

        public boolean matches(Map<String, String> labels) {
            if (nothing) {
                return false;
            }
            for (Requirement r : requirements) {
                if (!r.matches(labels)) {
                    return false;
                }
            }
            return true;
        }

        /** True for a selector with no requirements that matches everything (labels.Selector.Empty()). */
        public boolean isEmpty() {
            return !nothing && requirements.length == 0;
        }

        /** True for the selector that matches nothing (from a null LabelSelector). */
        public boolean isNothing() {
            return nothing;
        }

        public List<Requirement> requirements() {
            return List.of(requirements);
        }

        /**
         * This selector's requirements plus key=value for each label, as the scheduler's mergeLabelSetWithSelector
         * (matchLabelKeys). Like upstream, merging into {@link #NOTHING} yields a selector of just the labels.
         */
        public Selector and(Map<String, String> labels) {
            if (labels.isEmpty()) {
                return this;
            }
            List<Requirement> merged = new ArrayList<>(Arrays.asList(requirements));
            new TreeMap<>(labels).forEach((k, v) -> merged.add(new Requirement(k, Operator.IN, new String[] {v})));
            return new Selector(merged.toArray(new Requirement[0]), false);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Selector s && nothing == s.nothing && Arrays.equals(requirements, s.requirements);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(requirements) * 31 + (nothing ? 1 : 0);
        }

        @Override
        public String toString() {
            if (nothing) {
                return "<nothing>";
            }
            StringBuilder sb = new StringBuilder();
            for (Requirement r : requirements) {
                if (!sb.isEmpty()) {
                    sb.append(',');
                }
                sb.append(r);
            }
            return sb.toString();
        }
    }

    /**
     * Compiles a LabelSelector. Null selects nothing, empty selects everything.
     *
     * @throws IllegalArgumentException for an unknown operator or values that do not fit it
     */
    public static Selector parse(LabelSelector selector) {
        if (selector == null) {
            return NOTHING;
        }
        Map<String, String> matchLabels = selector.getMatchLabels();
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
        int size = (matchLabels == null ? 0 : matchLabels.size()) + (expressions == null ? 0 : expressions.size());
        if (size == 0) {
            return EVERYTHING;
        }
        List<Requirement> requirements = new ArrayList<>(size);
        if (matchLabels != null) {
            new TreeMap<>(matchLabels).forEach((k, v) -> {
                checkKey(k);
                requirements.add(new Requirement(k, Operator.IN, new String[] {v == null ? "" : v}));
            });
        }
        if (expressions != null) {
            for (LabelSelectorRequirement e : expressions) {
                requirements.add(requirement(e));
            }
        }
        return new Selector(requirements.toArray(new Requirement[0]), false);
    }

    /** A selector of key=value for every label (labels.SelectorFromSet); an empty map selects everything. */
    public static Selector fromLabels(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return EVERYTHING;
        }
        return EVERYTHING.and(labels);
    }

    /** One-off convenience: parses and matches. */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        return parse(selector).matches(labels);
    }

    private static Requirement requirement(LabelSelectorRequirement e) {
        String key = e.getKey();
        checkKey(key);
        String op = e.getOperator();
        List<String> values = e.getValues() == null ? List.of() : e.getValues();
        Operator operator;
        if ("In".equals(op)) {
            operator = Operator.IN;
        } else if ("NotIn".equals(op)) {
            operator = Operator.NOT_IN;
        } else if ("Exists".equals(op)) {
            operator = Operator.EXISTS;
        } else if ("DoesNotExist".equals(op)) {
            operator = Operator.DOES_NOT_EXIST;
        } else {
            throw new IllegalArgumentException("\"" + op + "\" is not a valid label selector operator");
        }
        if ((operator == Operator.IN || operator == Operator.NOT_IN) && values.isEmpty()) {
            throw new IllegalArgumentException("values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty");
        }
        if ((operator == Operator.EXISTS || operator == Operator.DOES_NOT_EXIST) && !values.isEmpty()) {
            throw new IllegalArgumentException("values: Invalid value: " + values
                    + ": values set must be empty for exists and does not exist");
        }
        String[] sorted = values.stream().distinct().sorted().toArray(String[]::new);
        return new Requirement(key, operator, sorted);
    }

    private static void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key: Invalid value: \"\": name part must be non-empty");
        }
    }
}

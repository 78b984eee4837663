package io.k4j.scheduler.plugins.nodeaffinity;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.k4j.scheduler.framework.PodInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Node selector matching as upstream's {@code component-helpers/scheduling/corev1/nodeaffinity}: requirements on
 * labels (In, NotIn, Exists, DoesNotExist, Gt, Lt) and on fields (metadata.name with In or NotIn and one value), terms
 * that AND their requirements, selectors that OR their terms, a pod's required node affinity (nodeSelector plus
 * required terms) and its weighted preferred terms. Terms are parsed once; matching a node allocates nothing.
 */
public final class NodeSelectors {

    public static final String OP_IN = "In";
    public static final String OP_NOT_IN = "NotIn";
    public static final String OP_EXISTS = "Exists";
    public static final String OP_DOES_NOT_EXIST = "DoesNotExist";
    public static final String OP_GT = "Gt";
    public static final String OP_LT = "Lt";

    /** The only node field a matchFields requirement can name. */
    public static final String FIELD_NAME = "metadata.name";

    private NodeSelectors() {
    }

    /** A parsed requirement on a node's labels or fields. */
    public record Requirement(String key, String operator, Set<String> values, long number, boolean field) {

        /** Whether a node with these labels (for a label requirement) or this name (for a field one) satisfies it. */
        public boolean matches(Map<String, String> labels, String nodeName) {
            if (field) {
                if (nodeName == null || nodeName.isEmpty()) {
                    return true; // upstream checks fields only for a node that has a name
                }
                String value = FIELD_NAME.equals(key) ? nodeName : "";
                return OP_IN.equals(operator) == values.contains(value);
            }
            boolean has = labels != null && labels.containsKey(key);
            String value = has ? labels.get(key) : null;
            return switch (operator) {
                case OP_IN -> has && values.contains(value);
                case OP_NOT_IN -> !has || !values.contains(value);
                case OP_EXISTS -> has;
                case OP_DOES_NOT_EXIST -> !has;
                case OP_GT, OP_LT -> {
                    if (!has) {
                        yield false;
                    }
                    long labelValue;
                    try {
                        labelValue = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        yield false;
                    }
                    yield OP_GT.equals(operator) ? labelValue > number : labelValue < number;
                }
                default -> false;
            };
        }
    }

    /** Parses a label requirement (matchExpressions); adds a message to errors and returns null when it is invalid. */
    public static Requirement parseLabelRequirement(NodeSelectorRequirement requirement, List<String> errors) {
        String key = requirement.getKey() == null ? "" : requirement.getKey();
        String operator = requirement.getOperator() == null ? "" : requirement.getOperator();
        List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
        switch (operator) {
            case OP_IN, OP_NOT_IN -> {
                if (values.isEmpty()) {
                    errors.add(key + ": for 'in', 'notin' operators, values set can't be empty");
                    return null;
                }
                return new Requirement(key, operator, Set.copyOf(values), 0, false);
            }
            case OP_EXISTS, OP_DOES_NOT_EXIST -> {
                if (!values.isEmpty()) {
                    errors.add(key + ": values set must be empty for exists and does not exist");
                    return null;
                }
                return new Requirement(key, operator, Set.of(), 0, false);
            }
            case OP_GT, OP_LT -> {
                if (values.size() != 1) {
                    errors.add(key + ": for 'Gt', 'Lt' operators, exactly one value is required");
                    return null;
                }
                try {
                    return new Requirement(key, operator, Set.of(), Long.parseLong(values.get(0)), false);
                } catch (NumberFormatException e) {
                    errors.add(key + ": for 'Gt', 'Lt' operators, the value must be an integer");
                    return null;
                }
            }
            default -> {
                errors.add(key + ": " + operator + " is not a valid label selector operator");
                return null;
            }
        }
    }

    /** Parses a field requirement (matchFields): In or NotIn with exactly one value. */
    public static Requirement parseFieldRequirement(NodeSelectorRequirement requirement, List<String> errors) {
        String key = requirement.getKey() == null ? "" : requirement.getKey();
        String operator = requirement.getOperator() == null ? "" : requirement.getOperator();
        List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
        if (!OP_IN.equals(operator) && !OP_NOT_IN.equals(operator)) {
            errors.add(key + ": \"" + operator + "\" is not a valid node field selector operator");
            return null;
        }
        if (values.size() != 1) {
            errors.add(key + ": unexpected number of value (" + values.size() + ") for node field selector operator \""
                    + operator + "\"");
            return null;
        }
        return new Requirement(key, operator, Set.of(values.get(0)), 0, true);
    }

    /** A parsed node selector term: every requirement must hold. */
    public record Term(List<Requirement> requirements) {

        public boolean matches(Node node) {
            return matches(labels(node), name(node));
        }

        public boolean matches(Map<String, String> labels, String nodeName) {
            for (Requirement requirement : requirements) {
                if (!requirement.matches(labels, nodeName)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** True for a term with no requirements at all (it selects no node). */
    public static boolean isEmpty(NodeSelectorTerm term) {
        return term == null || (term.getMatchExpressions() == null || term.getMatchExpressions().isEmpty())
                && (term.getMatchFields() == null || term.getMatchFields().isEmpty());
    }

    /** Parses a term; null (with messages in errors) when any requirement is invalid. */
    public static Term parseTerm(NodeSelectorTerm term, List<String> errors) {
        List<Requirement> requirements = new ArrayList<>();
        boolean valid = true;
        if (term.getMatchExpressions() != null) {
            for (NodeSelectorRequirement requirement : term.getMatchExpressions()) {
                Requirement parsed = parseLabelRequirement(requirement, errors);
                valid &= parsed != null;
                requirements.add(parsed);
            }
        }
        if (term.getMatchFields() != null) {
            for (NodeSelectorRequirement requirement : term.getMatchFields()) {
                Requirement parsed = parseFieldRequirement(requirement, errors);
                valid &= parsed != null;
                requirements.add(parsed);
            }
        }
        return valid ? new Term(List.copyOf(requirements)) : null;
    }

    /** A parsed node selector: some term must match. Empty terms and (when lenient) invalid ones match nothing. */
    public record Selector(List<Term> terms) {

        public boolean matches(Node node) {
            Map<String, String> labels = labels(node);
            String name = name(node);
            for (Term term : terms) {
                if (term.matches(labels, name)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Parses a node selector. Lenient (upstream's LazyErrorNodeSelector, used for pods' required affinity): an
     * invalid term never matches. Strict (upstream's NewNodeSelector, used for plugin args): an invalid term throws.
     */
    public static Selector parseSelector(NodeSelector selector, boolean strict) {
        List<Term> terms = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        if (selector != null && selector.getNodeSelectorTerms() != null) {
            for (NodeSelectorTerm term : selector.getNodeSelectorTerms()) {
                if (isEmpty(term)) {
                    continue;
                }
                Term parsed = parseTerm(term, errors);
                if (parsed != null) {
                    terms.add(parsed);
                }
            }
        }
        if (strict && !errors.isEmpty()) {
            throw new IllegalArgumentException("invalid node selector: " + String.join("; ", errors));
        }
        return new Selector(List.copyOf(terms));
    }

    /**
     * A pod's hard node constraints: spec.nodeSelector (every label equal) and
     * spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution (some term matching), as upstream's
     * RequiredNodeAffinity. Invalid terms match nothing.
     */
    public record RequiredAffinity(Map<String, String> nodeSelector, Selector required) {

        private static final PodInfo.Derived<RequiredAffinity> DERIVED = new PodInfo.Derived<>(RequiredAffinity::of);

        /** The pod's required affinity, parsed once per PodInfo. */
        public static RequiredAffinity of(PodInfo pod) {
            return pod.derived(DERIVED);
        }

        public static RequiredAffinity of(Pod pod) {
            Map<String, String> selector = pod.getSpec().getNodeSelector();
            NodeSelector required = requiredTerms(pod);
            return new RequiredAffinity(selector == null || selector.isEmpty() ? Map.of() : Map.copyOf(selector),
                    required == null ? null : parseSelector(required, false));
        }

        public boolean matches(Node node) {
            Map<String, String> labels = labels(node);
            for (Map.Entry<String, String> entry : nodeSelector.entrySet()) {
                if (labels == null || !entry.getValue().equals(labels.get(entry.getKey()))) {
                    return false;
                }
            }
            return required == null || required.matches(node);
        }
    }

    /** The pod's required node affinity selector, or null. */
    public static NodeSelector requiredTerms(Pod pod) {
        Affinity affinity = pod.getSpec().getAffinity();
        if (affinity == null || affinity.getNodeAffinity() == null) {
            return null;
        }
        return affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    }

    /** The pod's preferred node affinity terms, or null. */
    public static List<PreferredSchedulingTerm> preferredTerms(Pod pod) {
        Affinity affinity = pod.getSpec().getAffinity();
        if (affinity == null || affinity.getNodeAffinity() == null) {
            return null;
        }
        List<PreferredSchedulingTerm> terms = affinity.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
        return terms == null || terms.isEmpty() ? null : terms;
    }

    /** One parsed preferred term with its weight. */
    public record WeightedTerm(Term term, int weight) {
    }

    /** Weighted preferred terms: a node scores the sum of the weights of the terms it matches. */
    public record PreferredTerms(List<WeightedTerm> terms) {

        public long score(Node node) {
            Map<String, String> labels = labels(node);
            String name = name(node);
            long score = 0;
            for (WeightedTerm term : terms) {
                if (term.term().matches(labels, name)) {
                    score += term.weight();
                }
            }
            return score;
        }
    }

    /**
     * Parses preferred terms, skipping those with weight 0 or no requirements; throws IllegalArgumentException when
     * a term is invalid (upstream's NewPreferredSchedulingTerms reports parse errors).
     */
    public static PreferredTerms parsePreferred(List<PreferredSchedulingTerm> terms) {
        List<WeightedTerm> parsed = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        if (terms != null) {
            for (PreferredSchedulingTerm term : terms) {
                int weight = term.getWeight() == null ? 0 : term.getWeight();
                if (weight == 0 || isEmpty(term.getPreference())) {
                    continue;
                }
                Term t = parseTerm(term.getPreference(), errors);
                if (t != null) {
                    parsed.add(new WeightedTerm(t, weight));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid preferred node affinity: " + String.join("; ", errors));
        }
        return new PreferredTerms(List.copyOf(parsed));
    }

    /**
     * The node names a selector's terms pin the pod to through {@code metadata.name In} field requirements, as
     * upstream's NodeAffinity PreFilter: null when some term does not name nodes (any node may match); an empty set
     * when the terms name nodes but conflict.
     */
    public static Set<String> nodeNames(NodeSelector selector) {
        if (selector == null || selector.getNodeSelectorTerms() == null || selector.getNodeSelectorTerms().isEmpty()) {
            return null;
        }
        Set<String> union = null;
        for (NodeSelectorTerm term : selector.getNodeSelectorTerms()) {
            Set<String> termNames = null;
            if (term.getMatchFields() != null) {
                for (NodeSelectorRequirement requirement : term.getMatchFields()) {
                    if (FIELD_NAME.equals(requirement.getKey()) && OP_IN.equals(requirement.getOperator())) {
                        Set<String> values = new HashSet<>(requirement.getValues() == null ? List.of() : requirement.getValues());
                        if (termNames == null) {
                            termNames = values;
                        } else {
                            termNames.retainAll(values);
                        }
                    }
                }
            }
            if (termNames == null) {
                return null;
            }
            if (union == null) {
                union = new HashSet<>();
            }
            union.addAll(termNames);
        }
        return union;
    }

    private static Map<String, String> labels(Node node) {
        return node == null || node.getMetadata() == null ? null : node.getMetadata().getLabels();
    }

    private static String name(Node node) {
        return node == null || node.getMetadata() == null ? null : node.getMetadata().getName();
    }
}

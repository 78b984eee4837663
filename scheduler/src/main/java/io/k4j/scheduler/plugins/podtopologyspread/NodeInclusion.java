package io.k4j.scheduler.plugins.podtopologyspread;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.k4j.scheduler.framework.PodInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a topology spread constraint's node inclusion policies need: the pod's required node affinity
 * (spec.nodeSelector AND spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, as
 * component-helpers' nodeaffinity.GetRequiredNodeAffinity; terms that do not parse never match, like upstream which
 * ignores the parse errors here) and whether the node has a NoSchedule/NoExecute taint the pod does not tolerate.
 * Kept private to this plugin: the NodeAffinity and TaintToleration plugins have their own.
 */
final class NodeInclusion {

    private NodeInclusion() {
    }

    /** The pod's required node affinity, parsed once per pod. */
    static final PodInfo.Derived<RequiredNodeAffinity> REQUIRED_NODE_AFFINITY =
            new PodInfo.Derived<>(RequiredNodeAffinity::of);

    /** A NodeSelectorRequirement on labels or fields; null values mean "never matches" (a parse error). */
    private record Requirement(String key, String operator, List<String> values, long number) {
        boolean matchesLabels(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                case "Gt", "Lt" -> {
                    if (value == null) {
                        yield false;
                    }
                    long v;
                    try {
                        v = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        yield false;
                    }
                    yield "Gt".equals(operator) ? v > number : v < number;
                }
                default -> false;
            };
        }

        boolean matchesName(String name) {
            return switch (operator) {
                case "In" -> values.contains(name);
                case "NotIn" -> !values.contains(name);
                default -> false;
            };
        }
    }

    private record Term(List<Requirement> labels, List<Requirement> fields, boolean valid) {
        boolean matches(Node node, Map<String, String> nodeLabels) {
            if (!valid || labels.isEmpty() && fields.isEmpty()) {
                return false;
            }
            for (Requirement r : labels) {
                if (!r.matchesLabels(nodeLabels)) {
                    return false;
                }
            }
            if (!fields.isEmpty()) {
                String name = node.getMetadata().getName();
                for (Requirement r : fields) {
                    if (!r.matchesName(name)) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    static final class RequiredNodeAffinity {
        private static final RequiredNodeAffinity NONE = new RequiredNodeAffinity(null, null);

        private final Map<String, String> nodeSelector;
        /** null when the pod has no required node affinity; empty (matches nothing) when it lists no terms. */
        private final List<Term> terms;

        private RequiredNodeAffinity(Map<String, String> nodeSelector, List<Term> terms) {
            this.nodeSelector = nodeSelector;
            this.terms = terms;
        }

        static RequiredNodeAffinity of(Pod pod) {
            Map<String, String> selector = pod.getSpec().getNodeSelector();
            if (selector != null && selector.isEmpty()) {
                selector = null;
            }
            List<Term> terms = null;
            var affinity = pod.getSpec().getAffinity();
            if (affinity != null && affinity.getNodeAffinity() != null
                    && affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
                NodeSelector ns = affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
                terms = new ArrayList<>();
                if (ns.getNodeSelectorTerms() != null) {
                    for (NodeSelectorTerm t : ns.getNodeSelectorTerms()) {
                        terms.add(term(t));
                    }
                }
            }
            return selector == null && terms == null ? NONE : new RequiredNodeAffinity(selector, terms);
        }

        boolean isEmpty() {
            return this == NONE;
        }

        boolean matches(Node node) {
            if (this == NONE) {
                return true;
            }
            Map<String, String> labels = node.getMetadata().getLabels();
            if (labels == null) {
                labels = Map.of();
            }
            if (nodeSelector != null) {
                for (Map.Entry<String, String> e : nodeSelector.entrySet()) {
                    if (!e.getValue().equals(labels.get(e.getKey()))) {
                        return false;
                    }
                }
            }
            if (terms != null) {
                for (Term t : terms) {
                    if (t.matches(node, labels)) {
                        return true;
                    }
                }
                return false;
            }
            return true;
        }
    }

    private static Term term(NodeSelectorTerm t) {
        boolean valid = true;
        List<Requirement> labels = new ArrayList<>();
        List<Requirement> fields = new ArrayList<>();
        if (t.getMatchExpressions() != null) {
            for (NodeSelectorRequirement r : t.getMatchExpressions()) {
                Requirement req = labelRequirement(r);
                if (req == null) {
                    valid = false;
                } else {
                    labels.add(req);
                }
            }
        }
        if (t.getMatchFields() != null) {
            for (NodeSelectorRequirement r : t.getMatchFields()) {
                List<String> values = r.getValues() == null ? List.of() : r.getValues();
                if (!"metadata.name".equals(r.getKey()) || values.size() != 1
                        || !("In".equals(r.getOperator()) || "NotIn".equals(r.getOperator()))) {
                    valid = false;
                } else {
                    fields.add(new Requirement(r.getKey(), r.getOperator(), values, 0));
                }
            }
        }
        return new Term(labels, fields, valid);
    }

    private static Requirement labelRequirement(NodeSelectorRequirement r) {
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        String op = r.getOperator();
        if (r.getKey() == null || r.getKey().isEmpty() || op == null) {
            return null;
        }
        switch (op) {
            case "In", "NotIn" -> {
                return values.isEmpty() ? null : new Requirement(r.getKey(), op, List.copyOf(values), 0);
            }
            case "Exists", "DoesNotExist" -> {
                return values.isEmpty() ? new Requirement(r.getKey(), op, List.of(), 0) : null;
            }
            case "Gt", "Lt" -> {
                if (values.size() != 1) {
                    return null;
                }
                try {
                    return new Requirement(r.getKey(), op, values, Long.parseLong(values.get(0)));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            default -> {
                return null;
            }
        }
    }

    /** True when the node has a NoSchedule or NoExecute taint that none of the pod's tolerations tolerates. */
    static boolean hasUntoleratedTaint(Node node, Pod pod) {
        if (node.getSpec() == null || node.getSpec().getTaints() == null) {
            return false;
        }
        List<Toleration> tolerations = pod.getSpec().getTolerations();
        for (Taint taint : node.getSpec().getTaints()) {
            if (!"NoSchedule".equals(taint.getEffect()) && !"NoExecute".equals(taint.getEffect())) {
                continue;
            }
            boolean tolerated = false;
            if (tolerations != null) {
                for (Toleration t : tolerations) {
                    if (tolerates(t, taint)) {
                        tolerated = true;
                        break;
                    }
                }
            }
            if (!tolerated) {
                return true;
            }
        }
        return false;
    }

    /** core/v1 Toleration.ToleratesTaint. */
    static boolean tolerates(Toleration t, Taint taint) {
        if (t.getEffect() != null && !t.getEffect().isEmpty() && !t.getEffect().equals(taint.getEffect())) {
            return false;
        }
        if (t.getKey() != null && !t.getKey().isEmpty() && !t.getKey().equals(taint.getKey())) {
            return false;
        }
        String op = t.getOperator();
        if (op == null || op.isEmpty() || "Equal".equals(op)) {
            String tv = t.getValue() == null ? "" : t.getValue();
            String v = taint.getValue() == null ? "" : taint.getValue();
            return tv.equals(v);
        }
        return "Exists".equals(op);
    }
}

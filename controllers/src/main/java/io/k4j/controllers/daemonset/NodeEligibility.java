package io.k4j.controllers.daemonset;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.k4j.controllers.api.Tolerations;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Upstream's NodeShouldRunDaemonPod: whether a daemon pod (its spec with the daemon tolerations added) should be
 * created on a node, and whether one already there may keep running. A node name or required node affinity that
 * does not match means neither; an untolerated NoSchedule or NoExecute taint means no new pod, and an untolerated
 * NoExecute taint also evicts the running one.
 */
public final class NodeEligibility {

    public record Verdict(boolean shouldRun, boolean shouldContinueRunning) {
    }

    private NodeEligibility() {
    }

    public static Verdict of(PodSpec daemonPod, Node node) {
        String nodeName = node.getMetadata().getName();
        if (daemonPod.getNodeName() != null && !daemonPod.getNodeName().isEmpty()
                && !daemonPod.getNodeName().equals(nodeName)) {
            return new Verdict(false, false);
        }
        if (!matchesNodeSelector(daemonPod, node) || !matchesRequiredAffinity(daemonPod, node)) {
            return new Verdict(false, false);
        }
        List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of()
                : node.getSpec().getTaints();
        List<Toleration> tolerations = daemonPod.getTolerations() == null ? List.of() : daemonPod.getTolerations();
        boolean fitsTaints = taints.stream()
                .filter(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()))
                .allMatch(t -> Tolerations.tolerated(t, tolerations));
        if (!fitsTaints) {
            boolean evicted = taints.stream().filter(t -> "NoExecute".equals(t.getEffect()))
                    .anyMatch(t -> !Tolerations.tolerated(t, tolerations));
            return new Verdict(false, !evicted);
        }
        return new Verdict(true, true);
    }

    static boolean matchesNodeSelector(PodSpec pod, Node node) {
        Map<String, String> selector = pod.getNodeSelector();
        if (selector == null || selector.isEmpty()) {
            return true;
        }
        Map<String, String> labels = labels(node);
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    static boolean matchesRequiredAffinity(PodSpec pod, Node node) {
        if (pod.getAffinity() == null || pod.getAffinity().getNodeAffinity() == null
                || pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return true;
        }
        List<NodeSelectorTerm> terms = pod.getAffinity().getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
        return terms != null && terms.stream().anyMatch(term -> matches(term, node));
    }

    /** A term matches when all its requirements do; a term without any matches no node. */
    private static boolean matches(NodeSelectorTerm term, Node node) {
        List<NodeSelectorRequirement> expressions = Objects.requireNonNullElse(term.getMatchExpressions(), List.of());
        List<NodeSelectorRequirement> fields = Objects.requireNonNullElse(term.getMatchFields(), List.of());
        if (expressions.isEmpty() && fields.isEmpty()) {
            return false;
        }
        Map<String, String> labels = labels(node);
        Map<String, String> nodeFields = Map.of("metadata.name", node.getMetadata().getName());
        return expressions.stream().allMatch(r -> matches(r, labels))
                && fields.stream().allMatch(r -> "metadata.name".equals(r.getKey()) && matches(r, nodeFields));
    }

    private static boolean matches(NodeSelectorRequirement requirement, Map<String, String> values) {
        String value = values.get(requirement.getKey());
        List<String> wanted = Objects.requireNonNullElse(requirement.getValues(), List.of());
        return switch (requirement.getOperator()) {
            case "In" -> value != null && wanted.contains(value);
            case "NotIn" -> value == null || !wanted.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt", "Lt" -> value != null && wanted.size() == 1 && compares(value, wanted.getFirst(),
                    requirement.getOperator().equals("Gt"));
            default -> false;
        };
    }

    private static boolean compares(String value, String bound, boolean greater) {
        try {
            long actual = Long.parseLong(value);
            long limit = Long.parseLong(bound);
            return greater ? actual > limit : actual < limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Map<String, String> labels(Node node) {
        return node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    }
}

package io.k4j.controllers.namespace;

import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.NamespaceConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The conditions upstream's namespace controller sets on a terminating namespace, with its reasons and messages. */
final class DeletionConditions {

    static final List<String> TYPES = List.of("NamespaceDeletionDiscoveryFailure",
            "NamespaceDeletionGroupVersionParsingFailure", "NamespaceDeletionContentFailure",
            "NamespaceContentRemaining", "NamespaceFinalizersRemaining");

    private DeletionConditions() {
    }

    /** The five conditions for a deletion pass; a condition that did not change keeps its transition time. */
    static List<NamespaceCondition> of(ContentDeletion pass, List<NamespaceCondition> current, Instant now) {
        List<NamespaceCondition> wanted = List.of(
                pass.discoveryFailures().isEmpty()
                        ? condition(TYPES.get(0), "False", "ResourcesDiscovered", "All resources successfully discovered")
                        : condition(TYPES.get(0), "True", "DiscoveryFailed", "Discovery failed for some groups, "
                                + pass.discoveryFailures().size() + " failing: " + describe(pass.discoveryFailures())),
                condition(TYPES.get(1), "False", "ParsedGroupVersions", "All legacy kube types successfully parsed"),
                pass.deletionFailures().isEmpty()
                        ? condition(TYPES.get(2), "False", "ContentDeleted",
                                "All content successfully deleted, may be waiting on finalization")
                        : condition(TYPES.get(2), "True", "ContentDeletionFailed", "Failed to delete all resource "
                                + "types, " + pass.deletionFailures().size() + " remaining: "
                                + describe(pass.deletionFailures())),
                pass.remaining().isEmpty()
                        ? condition(TYPES.get(3), "False", "ContentRemoved", "All content successfully removed")
                        : condition(TYPES.get(3), "True", "SomeResourcesRemain", "Some resources are remaining: "
                                + counts(pass.remaining(), " has %d resource instances")),
                pass.finalizers().isEmpty()
                        ? condition(TYPES.get(4), "False", "ContentHasNoFinalizers",
                                "All content-preserving finalizers finished")
                        : condition(TYPES.get(4), "True", "SomeFinalizersRemain", "Some content in the namespace has "
                                + "finalizers remaining: " + counts(pass.finalizers(), " in %d resource instances")));
        List<NamespaceCondition> result = new ArrayList<>();
        for (NamespaceCondition condition : wanted) {
            NamespaceCondition old = current == null ? null : current.stream()
                    .filter(c -> c.getType().equals(condition.getType())).findFirst().orElse(null);
            boolean same = old != null && old.getStatus().equals(condition.getStatus())
                    && condition.getReason().equals(old.getReason()) && condition.getMessage().equals(old.getMessage());
            condition.setLastTransitionTime(same && old.getLastTransitionTime() != null ? old.getLastTransitionTime()
                    : Timestamps.format(now));
            result.add(condition);
        }
        if (current != null) { // conditions of other types stay
            current.stream().filter(c -> !TYPES.contains(c.getType())).forEach(result::add);
        }
        return result;
    }

    private static NamespaceCondition condition(String type, String status, String reason, String message) {
        return new NamespaceConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withMessage(message).build();
    }

    private static String describe(Map<String, String> failures) {
        return failures.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String counts(Map<String, Integer> counts, String format) {
        return counts.entrySet().stream().map(e -> e.getKey() + format.formatted(e.getValue()))
                .collect(Collectors.joining(", "));
    }
}

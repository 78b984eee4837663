package io.k4j.scheduler.plugins.nodeaffinity;

import static io.k4j.scheduler.plugins.BasicFixtures.requirement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.k4j.scheduler.plugins.BasicFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeSelectorsTest {

    private static final Map<String, String> LABELS = Map.of("zone", "a", "gen", "5", "bad", "x5");

    static Stream<Arguments> labelCases() {
        return Stream.of(
                Arguments.of("In matches", requirement("zone", "In", "a", "b"), true),
                Arguments.of("In misses", requirement("zone", "In", "b"), false),
                Arguments.of("In, label absent", requirement("missing", "In", "a"), false),
                Arguments.of("NotIn, value listed", requirement("zone", "NotIn", "a"), false),
                Arguments.of("NotIn, value not listed", requirement("zone", "NotIn", "b"), true),
                Arguments.of("NotIn, label absent", requirement("missing", "NotIn", "a"), true),
                Arguments.of("Exists", requirement("zone", "Exists"), true),
                Arguments.of("Exists, absent", requirement("missing", "Exists"), false),
                Arguments.of("DoesNotExist", requirement("missing", "DoesNotExist"), true),
                Arguments.of("DoesNotExist, present", requirement("zone", "DoesNotExist"), false),
                Arguments.of("Gt true", requirement("gen", "Gt", "4"), true),
                Arguments.of("Gt equal is false", requirement("gen", "Gt", "5"), false),
                Arguments.of("Lt true", requirement("gen", "Lt", "6"), true),
                Arguments.of("Lt false", requirement("gen", "Lt", "5"), false),
                Arguments.of("Gt on a non-integer label", requirement("bad", "Gt", "1"), false),
                Arguments.of("Gt on an absent label", requirement("missing", "Gt", "1"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labelCases")
    void labelRequirement(String name, NodeSelectorRequirement requirement, boolean expected) {
        List<String> errors = new ArrayList<>();
        NodeSelectors.Requirement parsed = NodeSelectors.parseLabelRequirement(requirement, errors);
        assertThat(errors).isEmpty();
        assertThat(parsed.matches(LABELS, "n1")).isEqualTo(expected);
    }

    static Stream<Arguments> invalidCases() {
        return Stream.of(
                Arguments.of("In without values", requirement("k", "In")),
                Arguments.of("NotIn without values", requirement("k", "NotIn")),
                Arguments.of("Exists with values", requirement("k", "Exists", "v")),
                Arguments.of("Gt with two values", requirement("k", "Gt", "1", "2")),
                Arguments.of("Lt with a non-integer", requirement("k", "Lt", "one")),
                Arguments.of("unknown operator", requirement("k", "Like", "v")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCases")
    void invalidLabelRequirement(String name, NodeSelectorRequirement requirement) {
        List<String> errors = new ArrayList<>();
        assertThat(NodeSelectors.parseLabelRequirement(requirement, errors)).isNull();
        assertThat(errors).hasSize(1);
    }

    static Stream<Arguments> fieldCases() {
        return Stream.of(
                Arguments.of("metadata.name In", requirement("metadata.name", "In", "n1"), true, true),
                Arguments.of("metadata.name In, other node", requirement("metadata.name", "In", "n2"), true, false),
                Arguments.of("metadata.name NotIn", requirement("metadata.name", "NotIn", "n2"), true, true),
                Arguments.of("metadata.name NotIn, this node", requirement("metadata.name", "NotIn", "n1"), true, false),
                Arguments.of("two values are invalid", requirement("metadata.name", "In", "n1", "n2"), false, false),
                Arguments.of("Exists is invalid", requirement("metadata.name", "Exists"), false, false),
                Arguments.of("another field never equals", requirement("metadata.uid", "In", "n1"), true, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fieldCases")
    void fieldRequirement(String name, NodeSelectorRequirement requirement, boolean valid, boolean expected) {
        List<String> errors = new ArrayList<>();
        NodeSelectors.Requirement parsed = NodeSelectors.parseFieldRequirement(requirement, errors);
        assertThat(parsed != null).isEqualTo(valid);
        if (valid) {
            assertThat(parsed.matches(LABELS, "n1")).isEqualTo(expected);
        }
    }

    static Stream<Arguments> selectorCases() {
        NodeSelectorTerm zoneA = term(List.of(requirement("zone", "In", "a")), List.of());
        NodeSelectorTerm zoneB = term(List.of(requirement("zone", "In", "b")), List.of());
        NodeSelectorTerm zoneAAndName = term(List.of(requirement("zone", "In", "a")), List.of(requirement("metadata.name", "In", "n2")));
        NodeSelectorTerm invalid = term(List.of(requirement("zone", "In")), List.of());
        NodeSelectorTerm empty = term(List.of(), List.of());
        return Stream.of(
                Arguments.of("one matching term", List.of(zoneA), true),
                Arguments.of("terms are ORed", List.of(zoneB, zoneA), true),
                Arguments.of("requirements are ANDed", List.of(zoneAAndName), false),
                Arguments.of("no terms match nothing", List.of(), false),
                Arguments.of("an empty term matches nothing", List.of(empty), false),
                Arguments.of("an invalid term matches nothing, the others still count", List.of(invalid, zoneA), true),
                Arguments.of("only an invalid term", List.of(invalid), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selectorCases")
    void lenientSelector(String name, List<NodeSelectorTerm> terms, boolean expected) {
        NodeSelector selector = new NodeSelectorBuilder().withNodeSelectorTerms(terms).build();
        assertThat(NodeSelectors.parseSelector(selector, false).matches(BasicFixtures.labeledNode("n1", LABELS)))
                .isEqualTo(expected);
    }

    @Test
    void strictSelectorRejectsInvalidTerms() {
        NodeSelector selector = new NodeSelectorBuilder().withNodeSelectorTerms(term(List.of(requirement("zone", "In")), List.of())).build();
        assertThatThrownBy(() -> NodeSelectors.parseSelector(selector, true)).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> nodeNameCases() {
        NodeSelectorTerm n1 = term(List.of(), List.of(requirement("metadata.name", "In", "n1")));
        NodeSelectorTerm n2 = term(List.of(), List.of(requirement("metadata.name", "In", "n2")));
        NodeSelectorTerm n1n2 = term(List.of(), List.of(requirement("metadata.name", "In", "n1", "n2"),
                requirement("metadata.name", "In", "n2", "n3")));
        NodeSelectorTerm conflicting = term(List.of(), List.of(requirement("metadata.name", "In", "n1"),
                requirement("metadata.name", "In", "n2")));
        NodeSelectorTerm labels = term(List.of(requirement("zone", "In", "a")), List.of());
        return Stream.of(
                Arguments.of("one term with a name", List.of(n1), Set.of("n1")),
                Arguments.of("terms are unioned", List.of(n1, n2), Set.of("n1", "n2")),
                Arguments.of("requirements intersect", List.of(n1n2), Set.of("n2")),
                Arguments.of("a term without names allows any node", List.of(n1, labels), null),
                Arguments.of("conflicting requirements", List.of(conflicting), Set.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeNameCases")
    void nodeNames(String name, List<NodeSelectorTerm> terms, Set<String> expected) {
        assertThat(NodeSelectors.nodeNames(new NodeSelectorBuilder().withNodeSelectorTerms(terms).build())).isEqualTo(expected);
    }

    static NodeSelectorTerm term(List<NodeSelectorRequirement> expressions, List<NodeSelectorRequirement> fields) {
        return new NodeSelectorTermBuilder().withMatchExpressions(expressions).withMatchFields(fields).build();
    }
}

package io.k4j.scheduler.plugins.nodeaffinity;

import static io.k4j.scheduler.plugins.BasicFixtures.requirement;
import static io.k4j.scheduler.plugins.nodeaffinity.NodeSelectorsTest.term;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.k4j.scheduler.framework.Code;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.EnqueueExtensions.QueueingHint;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.PreFilterPlugin;
import io.k4j.scheduler.framework.Snapshot;
import io.k4j.scheduler.framework.Status;
import io.k4j.scheduler.plugins.BasicFixtures;
import io.k4j.scheduler.testing.FakeHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeAffinityTest {

    private static final String REASON = "node(s) didn't match Pod's node affinity/selector";

    static Stream<Arguments> filterCases() {
        NodeSelectorTerm fooBar = term(List.of(requirement("foo", "In", "bar", "value2")), List.of());
        NodeSelectorTerm fooExists = term(List.of(requirement("foo", "Exists")), List.of());
        NodeSelectorTerm gtKern = term(List.of(requirement("kernel", "Gt", "4")), List.of());
        NodeSelectorTerm nodeN1 = term(List.of(), List.of(requirement("metadata.name", "In", "n1")));
        NodeSelectorTerm nodeN2 = term(List.of(), List.of(requirement("metadata.name", "In", "n2")));
        return Stream.of(
                Arguments.of("no selector, no affinity", Map.of(), null, Map.of("foo", "bar"), Code.SKIP, null, Code.SUCCESS),
                Arguments.of("nodeSelector matches", Map.of("foo", "bar"), null, Map.of("foo", "bar"), Code.SUCCESS, null,
                        Code.SUCCESS),
                Arguments.of("nodeSelector misses", Map.of("foo", "bar"), null, Map.of("foo", "baz"), Code.SUCCESS, null,
                        Code.UNSCHEDULABLE_AND_UNRESOLVABLE),
                Arguments.of("nodeSelector on a node without labels", Map.of("foo", "bar"), null, Map.of(), Code.SUCCESS, null,
                        Code.UNSCHEDULABLE_AND_UNRESOLVABLE),
                Arguments.of("required In matches", Map.of(), List.of(fooBar), Map.of("foo", "value2"), Code.SUCCESS, null,
                        Code.SUCCESS),
                Arguments.of("required In misses", Map.of(), List.of(fooBar), Map.of("foo", "other"), Code.SUCCESS, null,
                        Code.UNSCHEDULABLE_AND_UNRESOLVABLE),
                Arguments.of("nodeSelector and affinity both needed", Map.of("a", "b"), List.of(fooExists),
                        Map.of("foo", "x"), Code.SUCCESS, null, Code.UNSCHEDULABLE_AND_UNRESOLVABLE),
                Arguments.of("Gt matches", Map.of(), List.of(gtKern), Map.of("kernel", "5"), Code.SUCCESS, null, Code.SUCCESS),
                Arguments.of("empty terms list matches nothing", Map.of(), List.of(), Map.of("foo", "bar"), Code.SUCCESS, null,
                        Code.UNSCHEDULABLE_AND_UNRESOLVABLE),
                Arguments.of("matchFields narrows to the named node", Map.of(), List.of(nodeN1), Map.of(), Code.SUCCESS,
                        Set.of("n1"), Code.SUCCESS),
                Arguments.of("matchFields on another node", Map.of(), List.of(nodeN2), Map.of(), Code.SUCCESS,
                        Set.of("n2"), Code.UNSCHEDULABLE_AND_UNRESOLVABLE),
                Arguments.of("matchFields ORed with labels: no narrowing", Map.of(), List.of(nodeN2, fooExists),
                        Map.of("foo", "x"), Code.SUCCESS, null, Code.SUCCESS),
                Arguments.of("conflicting matchFields", Map.of(), List.of(term(List.of(),
                        List.of(requirement("metadata.name", "In", "n1"), requirement("metadata.name", "In", "n2")))),
                        Map.of(), Code.UNSCHEDULABLE_AND_UNRESOLVABLE, null, Code.UNSCHEDULABLE_AND_UNRESOLVABLE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filterCases")
    void preFilterAndFilter(String name, Map<String, String> nodeSelector, List<NodeSelectorTerm> required,
            Map<String, String> labels, Code preFilterCode, Set<String> nodeNames, Code filterCode) {
        NodeAffinity plugin = new NodeAffinity(PluginArgs.NONE, new FakeHandle());
        PodInfo pod = new PodInfo(pod(nodeSelector, required, null));
        CycleState state = new CycleState();
        PreFilterPlugin.Result result = plugin.preFilter(state, pod, new Snapshot());
        assertThat(result.status().code()).isEqualTo(preFilterCode);
        assertThat(result.nodeNames()).isEqualTo(nodeNames);
        if (preFilterCode == Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
            assertThat(result.status().reasons()).containsExactly("pod affinity terms conflict");
        }
        // with and without the PreFilter state
        for (CycleState s : List.of(state, new CycleState())) {
            Status status = plugin.filter(s, pod, BasicFixtures.nodeInfo(BasicFixtures.labeledNode("n1", labels)));
            assertThat(status.code()).isEqualTo(filterCode);
            if (filterCode != Code.SUCCESS) {
                assertThat(status.reasons()).containsExactly(REASON);
            }
        }
    }

    static Stream<Arguments> addedAffinityCases() {
        return Stream.of(
                Arguments.of("enforced affinity matches", Map.of("zone", "a"), Map.of(), Code.SUCCESS, null),
                Arguments.of("enforced affinity misses", Map.of("zone", "b"), Map.of(), Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
                        "node(s) didn't match scheduler-enforced node affinity"),
                Arguments.of("enforced matches, pod's selector misses", Map.of("zone", "a"), Map.of("foo", "bar"),
                        Code.UNSCHEDULABLE_AND_UNRESOLVABLE, REASON));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("addedAffinityCases")
    void addedAffinity(String name, Map<String, String> labels, Map<String, String> podSelector, Code code, String reason) {
        NodeAffinity plugin = new NodeAffinity(new PluginArgs(Map.of("addedAffinity", Map.of(
                "requiredDuringSchedulingIgnoredDuringExecution", Map.of("nodeSelectorTerms", List.of(Map.of(
                        "matchExpressions", List.of(Map.of("key", "zone", "operator", "In", "values", List.of("a"))))))))),
                new FakeHandle());
        PodInfo pod = new PodInfo(pod(podSelector, null, null));
        CycleState state = new CycleState();
        assertThat(plugin.preFilter(state, pod, new Snapshot()).status().isSuccess()).isTrue();
        Status status = plugin.filter(state, pod, BasicFixtures.nodeInfo(BasicFixtures.labeledNode("n1", labels)));
        assertThat(status.code()).isEqualTo(code);
        if (reason != null) {
            assertThat(status.reasons()).containsExactly(reason);
        }
    }

    @Test
    void invalidAddedAffinityIsRejected() {
        assertThatThrownBy(() -> new NodeAffinity(new PluginArgs(Map.of("addedAffinity", Map.of(
                "requiredDuringSchedulingIgnoredDuringExecution", Map.of("nodeSelectorTerms", List.of(Map.of(
                        "matchExpressions", List.of(Map.of("key", "zone", "operator", "Gt", "values", List.of("x"))))))))),
                new FakeHandle())).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> scoreCases() {
        PreferredSchedulingTerm fooBar2 = preferred(2, requirement("foo", "In", "bar"));
        PreferredSchedulingTerm keyValue4 = preferred(4, requirement("key", "In", "value"));
        PreferredSchedulingTerm triple5 = preferred(5, requirement("foo", "In", "bar"), requirement("key", "In", "value"),
                requirement("az", "In", "az1"));
        List<Map<String, String>> nodes = List.of(Map.of("foo", "bar"), Map.of("key", "value"), Map.of("az", "az1"));
        return Stream.of(
                Arguments.of("no preferred terms: skip", null, nodes, null, null),
                Arguments.of("one term, one node matches", List.of(fooBar2), nodes, null, new long[] {100, 0, 0}),
                Arguments.of("no node matches", List.of(preferred(3, requirement("x", "Exists"))), nodes, null,
                        new long[] {0, 0, 0}),
                // upstream's "all nodes matches the preferred scheduling requirements of pod but with different priorities"
                Arguments.of("weights summed and normalized", List.of(fooBar2, keyValue4, triple5),
                        List.of(Map.of("foo", "bar"), Map.of("foo", "bar", "key", "value", "az", "az1"), Map.of("key", "value")),
                        null, new long[] {18, 100, 36}),
                Arguments.of("weight 0 terms are ignored", List.of(preferred(0, requirement("foo", "Exists"))), nodes, null,
                        new long[] {0, 0, 0}),
                Arguments.of("added preferred terms count too", List.of(fooBar2), nodes,
                        List.of(Map.of("weight", 6, "preference", Map.of("matchExpressions",
                                List.of(Map.of("key", "az", "operator", "Exists"))))),
                        new long[] {33, 0, 100}),
                Arguments.of("added preferred terms alone", null, nodes,
                        List.of(Map.of("weight", 6, "preference", Map.of("matchExpressions",
                                List.of(Map.of("key", "key", "operator", "Exists"))))),
                        new long[] {0, 100, 0}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scoreCases")
    void score(String name, List<PreferredSchedulingTerm> preferred, List<Map<String, String>> nodeLabels,
            List<Map<String, Object>> addedPreferred, long[] expected) {
        PluginArgs args = addedPreferred == null ? PluginArgs.NONE : new PluginArgs(Map.of("addedAffinity",
                Map.of("preferredDuringSchedulingIgnoredDuringExecution", addedPreferred)));
        NodeAffinity plugin = new NodeAffinity(args, new FakeHandle());
        PodInfo pod = new PodInfo(pod(Map.of(), null, preferred));
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 0; i < nodeLabels.size(); i++) {
            nodes.add(BasicFixtures.nodeInfo(BasicFixtures.labeledNode("n" + i, nodeLabels.get(i))));
        }
        CycleState state = new CycleState();
        Status status = plugin.preScore(state, pod, nodes);
        if (expected == null) {
            assertThat(status.code()).isEqualTo(Code.SKIP);
            return;
        }
        assertThat(status.isSuccess()).isTrue();
        long[] scores = new long[nodes.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = plugin.score(state, pod, nodes.get(i));
            assertThat(plugin.score(new CycleState(), pod, nodes.get(i))).as("without PreScore").isEqualTo(scores[i]);
        }
        plugin.normalizeScores(state, pod, nodes, scores);
        assertThat(scores).containsExactly(expected);
    }

    @Test
    void invalidPreferredTermIsAnError() {
        NodeAffinity plugin = new NodeAffinity(PluginArgs.NONE, new FakeHandle());
        PodInfo pod = new PodInfo(pod(Map.of(), null, List.of(preferred(1, requirement("gen", "Gt", "x")))));
        List<NodeInfo> nodes = List.of(BasicFixtures.nodeInfo(BasicFixtures.node("n1")));
        assertThat(plugin.preScore(new CycleState(), pod, nodes).code()).isEqualTo(Code.ERROR);
    }

    static Stream<Arguments> hintCases() {
        return Stream.of(
                Arguments.of("matching node added", null, Map.of("foo", "bar"), QueueingHint.QUEUE),
                Arguments.of("non-matching node added", null, Map.of("foo", "baz"), QueueingHint.SKIP),
                Arguments.of("node came to match", Map.of("foo", "baz"), Map.of("foo", "bar"), QueueingHint.QUEUE),
                Arguments.of("node matched before", Map.of("foo", "bar"), Map.of("foo", "bar", "x", "y"), QueueingHint.SKIP),
                Arguments.of("node stopped matching", Map.of("foo", "bar"), Map.of(), QueueingHint.SKIP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hintCases")
    void hint(String name, Map<String, String> before, Map<String, String> after, QueueingHint expected) {
        NodeAffinity plugin = new NodeAffinity(PluginArgs.NONE, new FakeHandle());
        PodInfo pod = new PodInfo(pod(Map.of("foo", "bar"), null, null));
        Node old = before == null ? null : BasicFixtures.labeledNode("n1", before);
        assertThat(plugin.isSchedulableAfterNodeChange(pod, old, BasicFixtures.labeledNode("n1", after))).isEqualTo(expected);
    }

    private static PreferredSchedulingTerm preferred(int weight, io.fabric8.kubernetes.api.model.NodeSelectorRequirement... requirements) {
        PreferredSchedulingTerm term = new PreferredSchedulingTerm();
        term.setWeight(weight);
        term.setPreference(term(List.of(requirements), List.of()));
        return term;
    }

    private static Pod pod(Map<String, String> nodeSelector, List<NodeSelectorTerm> required,
            List<PreferredSchedulingTerm> preferred) {
        AffinityBuilder affinity = new AffinityBuilder();
        boolean any = false;
        if (required != null) {
            affinity.withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .withNodeSelectorTerms(required).endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity();
            any = true;
        }
        if (preferred != null) {
            if (affinity.hasNodeAffinity()) {
                affinity.editNodeAffinity().withPreferredDuringSchedulingIgnoredDuringExecution(preferred).endNodeAffinity();
            } else {
                affinity.withNewNodeAffinity().withPreferredDuringSchedulingIgnoredDuringExecution(preferred).endNodeAffinity();
            }
            any = true;
        }
        return BasicFixtures.pod("p").editSpec().withNodeSelector(nodeSelector).withAffinity(any ? affinity.build() : null)
                .endSpec().build();
    }
}

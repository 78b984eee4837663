package io.k4j.scheduler.plugins.defaultpreemption;

import static io.k4j.scheduler.plugins.defaultpreemption.Fixtures.matchLabels;
import static io.k4j.scheduler.plugins.defaultpreemption.Fixtures.node;
import static io.k4j.scheduler.plugins.defaultpreemption.Fixtures.pdb;
import static io.k4j.scheduler.plugins.defaultpreemption.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PluginFactory;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.Snapshot;
import io.k4j.scheduler.framework.Status;
import io.k4j.scheduler.plugins.PreemptionPlugins;
import io.k4j.scheduler.plugins.defaultpreemption.Fixtures.FitsByCpu;
import io.k4j.scheduler.plugins.defaultpreemption.Fixtures.P;
import io.k4j.scheduler.plugins.defaultpreemption.Fixtures.RecordingEvictor;
import io.k4j.scheduler.testing.FakeHandle;
import io.k4j.scheduler.testing.TestRunner;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The pieces of preemption one at a time: args, candidate counts, budgets, victim selection, messages. */
class DefaultPreemptionPartsTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static DefaultPreemption plugin(FakeHandle handle, Map<String, Object> args) {
        return new DefaultPreemption(new PluginArgs(args), handle, new RecordingEvictor(), n -> 0);
    }

    @ParameterizedTest(name = "{0}% at least {1} of {2} nodes -> {3}")
    @CsvSource({
            "10, 100, 50, 50",
            "10, 100, 500, 100",
            "10, 100, 5000, 500",
            "10, 100, 1, 1",
            "0, 1, 10, 1",
            "100, 0, 7, 7",
            "50, 3, 4, 3",
            "30, 0, 10, 3",
            "1, 0, 50, 0"
    })
    void numberOfCandidates(int percentage, int absolute, int nodes, int expected) {
        DefaultPreemption plugin = plugin(new FakeHandle(),
                Map.of("minCandidateNodesPercentage", percentage, "minCandidateNodesAbsolute", absolute));
        assertThat(plugin.calculateNumCandidates(nodes)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}% / {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "-1 | 10 | minCandidateNodesPercentage: Invalid value: -1: not in valid range [0, 100]",
            "101 | 10 | minCandidateNodesPercentage: Invalid value: 101: not in valid range [0, 100]",
            "10 | -1 | minCandidateNodesAbsolute: Invalid value: -1: not in valid range [0, inf)",
            "0 | 0 | cannot be zero at the same time"
    })
    void invalidArgs(long percentage, long absolute, String message) {
        assertThatThrownBy(() -> plugin(new FakeHandle(),
                Map.of("minCandidateNodesPercentage", percentage, "minCandidateNodesAbsolute", absolute)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void defaultsAndRegistry() {
        FakeHandle handle = new FakeHandle(); // its client() throws: the plugin must not ask for it up front
        DefaultPreemption plugin = new DefaultPreemption(PluginArgs.NONE, handle);
        assertThat(plugin.name()).isEqualTo("DefaultPreemption");
        assertThat(plugin.calculateNumCandidates(5000)).isEqualTo(500);
        assertThat(plugin.calculateNumCandidates(300)).isEqualTo(100);

        Map<String, PluginFactory> registry = new HashMap<>();
        PreemptionPlugins.register(registry);
        assertThat(registry).containsOnlyKeys(DefaultPreemption.NAME);
        assertThat(registry.get(DefaultPreemption.NAME).create(PluginArgs.NONE, handle))
                .isInstanceOf(DefaultPreemption.class);
    }

    static Stream<Arguments> selectors() {
        Map<String, String> labels = Map.of("app", "db", "tier", "backend");
        return Stream.of(
                Arguments.of("nil selector matches nothing", null, labels, false),
                Arguments.of("empty selector matches nothing", new LabelSelector(), labels, false),
                Arguments.of("matchLabels", matchLabels("app", "db"), labels, true),
                Arguments.of("matchLabels, other value", matchLabels("app", "web"), labels, false),
                Arguments.of("In", expression("tier", "In", "backend", "frontend"), labels, true),
                Arguments.of("In, absent key", expression("zone", "In", "a"), labels, false),
                Arguments.of("NotIn", expression("tier", "NotIn", "frontend"), labels, true),
                Arguments.of("NotIn, absent key", expression("zone", "NotIn", "a"), labels, true),
                Arguments.of("NotIn, present", expression("tier", "NotIn", "backend"), labels, false),
                Arguments.of("Exists", expression("app", "Exists"), labels, true),
                Arguments.of("DoesNotExist", expression("app", "DoesNotExist"), labels, false),
                Arguments.of("In without values is invalid", expression("app", "In"), labels, false),
                Arguments.of("Exists with values is invalid", expression("app", "Exists", "db"), labels, false),
                Arguments.of("unknown operator is invalid", expression("app", "Gt", "1"), labels, false),
                Arguments.of("labels and expressions both apply",
                        new LabelSelectorBuilder().addToMatchLabels("app", "db")
                                .addNewMatchExpression().withKey("tier").withOperator("In").withValues("frontend")
                                .endMatchExpression().build(), labels, false));
    }

    private static LabelSelector expression(String key, String operator, String... values) {
        return new LabelSelectorBuilder().addNewMatchExpression().withKey(key).withOperator(operator)
                .withValues(values).endMatchExpression().build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selectors")
    void budgetSelectors(String name, LabelSelector selector, Map<String, String> labels, boolean matches) {
        assertThat(PdbSelectors.matches(selector, labels)).isEqualTo(matches);
    }

    static Stream<Arguments> violations() {
        return Stream.of(
                Arguments.of("no budgets", List.of(), List.of(), List.of("a", "b", "c")),
                Arguments.of("none allowed: every matching pod violates",
                        List.of(pdb("db", 0, matchLabels("app", "db"))), List.of("a", "b"), List.of("c")),
                Arguments.of("one allowed: the first matching pod is fine",
                        List.of(pdb("db", 1, matchLabels("app", "db"))), List.of("b"), List.of("a", "c")),
                Arguments.of("already disrupted pods do not count",
                        List.of(pdb("db", 0, matchLabels("app", "db"), "a")), List.of("b"), List.of("a", "c")),
                Arguments.of("a budget in another namespace does not apply",
                        List.of(otherNamespace(pdb("db", 0, matchLabels("app", "db")))), List.of(),
                        List.of("a", "b", "c")),
                Arguments.of("any violated budget makes the pod violating",
                        List.of(pdb("all", 5, expression("app", "Exists")), pdb("web", 0, matchLabels("app", "web"))),
                        List.of("c"), List.of("a", "b")));
    }

    private static PodDisruptionBudget otherNamespace(PodDisruptionBudget budget) {
        budget.getMetadata().setNamespace("other");
        return budget;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void podsWithPdbViolation(String name, List<PodDisruptionBudget> budgets, List<String> violating,
            List<String> nonViolating) {
        List<PodInfo> pods = List.of(pod("a").label("app", "db").info(), pod("b").label("app", "db").info(),
                pod("c").label("app", "web").info());
        List<List<PodInfo>> split = DefaultPreemption.filterPodsWithPdbViolation(pods, budgets);
        assertThat(split.get(0)).extracting(PodInfo::name).containsExactlyElementsOf(violating);
        assertThat(split.get(1)).extracting(PodInfo::name).containsExactlyElementsOf(nonViolating);
    }

    static Stream<Arguments> victimSelections() {
        return Stream.of(
                Arguments.of("two protected victims, one disruption allowed: one violation",
                        new P[] {pod("a").prio(2).cpu(500).label("app", "db"), pod("b").prio(1).cpu(500).label("app", "db")},
                        List.of(pdb("db", 1, matchLabels("app", "db"))), 1000, List.of("a", "b"), 1),
                Arguments.of("protected pod reprieved, unprotected evicted: no violation",
                        new P[] {pod("a").prio(1).cpu(500).label("app", "db"), pod("b").prio(2).cpu(500)},
                        List.of(pdb("db", 0, matchLabels("app", "db"))), 500, List.of("b"), 0),
                Arguments.of("victims from both groups come out highest priority first",
                        new P[] {pod("a").prio(1).cpu(400).label("app", "db"), pod("b").prio(3).cpu(400),
                                pod("c").prio(2).cpu(200)},
                        List.of(pdb("db", 0, matchLabels("app", "db"))), 1000, List.of("b", "c", "a"), 1),
                Arguments.of("no budgets",
                        new P[] {pod("a").prio(1).cpu(500), pod("b").prio(2).cpu(500)}, List.of(), 500,
                        List.of("a"), 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("victimSelections")
    void selectVictimsOnNode(String name, P[] pods, List<PodDisruptionBudget> budgets, long preemptorCpu,
            List<String> victims, int violations) {
        FakeHandle handle = new FakeHandle();
        handle.budgets.addAll(budgets);
        TestRunner runner = TestRunner.of(new FitsByCpu());
        handle.runner = runner;
        NodeInfo node = node("node1", 1000, pods);
        PodInfo preemptor = pod("p").prio(10).cpu(preemptorCpu).info();

        DefaultPreemption.VictimSelection selection = plugin(handle, Map.of())
                .selectVictimsOnNode(new CycleState(), preemptor, node.copy(), new HashMap<>());

        assertThat(selection.status().isSuccess()).isTrue();
        assertThat(selection.victims().pods()).extracting(PodInfo::name).containsExactlyElementsOf(victims);
        assertThat(selection.victims().numPdbViolations()).isEqualTo(violations);
    }

    @Test
    void dryRunRemovesEveryLowerPodThenAddsBackInOrder() {
        FakeHandle handle = new FakeHandle();
        TestRunner runner = TestRunner.of(new FitsByCpu());
        handle.runner = runner;
        NodeInfo node = node("node1", 1000, pod("high").prio(20).cpu(100), pod("a").prio(1).cpu(300),
                pod("b").prio(5).cpu(300), pod("c").prio(3).cpu(300));
        PodInfo preemptor = pod("p").prio(10).cpu(500).info();

        NodeInfo copy = node.copy();
        DefaultPreemption.VictimSelection selection = plugin(handle, Map.of())
                .selectVictimsOnNode(new CycleState(), preemptor, copy, new HashMap<>());

        assertThat(selection.victims().pods()).extracting(PodInfo::name).containsExactly("c", "a");
        assertThat(runner.calls).containsExactly(
                "remove default/a node1", "remove default/b node1", "remove default/c node1",
                "add default/b node1",
                "add default/c node1", "remove default/c node1",
                "add default/a node1", "remove default/a node1");
        assertThat(copy.pods()).extracting(PodInfo::name).containsExactlyInAnyOrder("high", "b");
        assertThat(node.pods()).hasSize(4);
    }

    @Test
    void pickOneNodeTieBreakers() {
        var early = new DefaultPreemption.Candidate("early", new DefaultPreemption.Victims(
                List.of(pod("e1").prio(3).started("2025-01-01T00:00:00Z").info(),
                        pod("e2").prio(1).started("2025-12-01T00:00:00Z").info()), 0));
        var late = new DefaultPreemption.Candidate("late", new DefaultPreemption.Victims(
                List.of(pod("l1").prio(3).started("2025-03-01T00:00:00Z").info(),
                        pod("l2").prio(1).started("2024-01-01T00:00:00Z").info()), 0));
        // Only the highest-priority victims' start times count: l1 started after e1.
        assertThat(DefaultPreemption.pickOneNodeForPreemption(List.of(early, late), NOW)).isEqualTo(late);
        assertThat(DefaultPreemption.pickOneNodeForPreemption(List.of(late, early), NOW)).isEqualTo(late);
        assertThat(DefaultPreemption.pickOneNodeForPreemption(List.of(), NOW)).isNull();
    }

    @Test
    void earliestStartOfHighestPriority() {
        List<PodInfo> victims = List.of(pod("a").prio(1).started("2024-01-01T00:00:00Z").info(),
                pod("b").prio(5).started("2025-05-01T00:00:00Z").info(),
                pod("c").prio(5).started("2025-02-01T00:00:00Z").info(),
                pod("d").prio(5).info());
        assertThat(DefaultPreemption.earliestStartOfHighestPriority(victims, NOW))
                .isEqualTo(Instant.parse("2025-02-01T00:00:00Z"));
        assertThat(DefaultPreemption.earliestStartOfHighestPriority(List.of(pod("x").info()), NOW)).isEqualTo(NOW);
    }

    static Stream<Arguments> messages() {
        Map<String, Status> three = new LinkedHashMap<>();
        three.put("n1", Status.unschedulable("Insufficient cpu"));
        three.put("n2", Status.unschedulable("Insufficient cpu", "Insufficient memory"));
        three.put("n3", Status.unresolvable(DefaultPreemption.NO_VICTIMS));
        return Stream.of(
                Arguments.of(2, Map.of(), "0/2 nodes are available: 2 Preemption is not helpful for scheduling."),
                Arguments.of(3, three, "0/3 nodes are available: 1 Insufficient memory, "
                        + "1 No preemption victims found for incoming pod, 2 Insufficient cpu."),
                Arguments.of(12, three, "0/12 nodes are available: 1 Insufficient memory, "
                        + "1 No preemption victims found for incoming pod, 2 Insufficient cpu, "
                        + "9 Preemption is not helpful for scheduling."));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void fitErrorMessage(int nodes, Map<String, Status> statuses, String expected) {
        assertThat(DefaultPreemption.fitErrorMessage(nodes, statuses, DefaultPreemption.NOT_HELPFUL))
                .isEqualTo(expected);
    }

    @Test
    void terminatingByPreemption() {
        assertThat(DefaultPreemption.terminatingByPreemption(pod("a").pod())).isFalse();
        assertThat(DefaultPreemption.terminatingByPreemption(pod("a").terminating().pod())).isFalse();
        assertThat(DefaultPreemption.terminatingByPreemption(
                pod("a").terminatingBecause("PreemptionByScheduler").pod())).isTrue();
        assertThat(DefaultPreemption.terminatingByPreemption(
                pod("a").terminatingBecause("DeletionByTaintManager").pod())).isFalse();
    }

    @Test
    void disruptionTargetConditionPatchedOnlyWhenMissing() {
        String message = "default-scheduler: preempting to accommodate a higher priority pod";
        var pod = pod("a").pod();
        assertThat(ClientVictimEvictor.needsCondition(pod, message)).isTrue();
        pod.getStatus().getConditions().add(new PodConditionBuilder().withType("DisruptionTarget").withStatus("True")
                .withReason("PreemptionByScheduler").withMessage(message).build());
        assertThat(ClientVictimEvictor.needsCondition(pod, message)).isFalse();
        assertThat(ClientVictimEvictor.needsCondition(pod, "other-scheduler: preempting")).isTrue();
    }

    @Test
    void dryRunWorksOnCopiesOfTheSnapshot() {
        FakeHandle handle = new FakeHandle();
        NodeInfo node = node("node1", 1000, pod("low").prio(1).cpu(800));
        handle.snapshot = Snapshot.of(node);
        handle.runner = TestRunner.of(new FitsByCpu());
        PodInfo preemptor = pod("p").prio(10).cpu(500).info();
        long generation = node.generation();

        var result = plugin(handle, Map.of()).postFilter(new CycleState(), preemptor,
                Map.of("node1", Status.unschedulable("Insufficient cpu")));

        assertThat(result.nominatedNodeName()).isEqualTo("node1");
        assertThat(node.generation()).isEqualTo(generation);
        assertThat(node.requested().milliCpu).isEqualTo(800);
    }
}

package io.k4j.scheduler.plugins.defaultpreemption;

import static io.k4j.scheduler.plugins.defaultpreemption.DefaultPreemption.NOT_ELIGIBLE_NEVER;
import static io.k4j.scheduler.plugins.defaultpreemption.DefaultPreemption.NOT_ELIGIBLE_TERMINATING;
import static io.k4j.scheduler.plugins.defaultpreemption.Fixtures.matchLabels;
import static io.k4j.scheduler.plugins.defaultpreemption.Fixtures.node;
import static io.k4j.scheduler.plugins.defaultpreemption.Fixtures.pdb;
import static io.k4j.scheduler.plugins.defaultpreemption.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.k4j.scheduler.framework.Code;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.PostFilterPlugin;
import io.k4j.scheduler.framework.Snapshot;
import io.k4j.scheduler.framework.Status;
import io.k4j.scheduler.plugins.defaultpreemption.Fixtures.Conflicts;
import io.k4j.scheduler.plugins.defaultpreemption.Fixtures.FitsByCpu;
import io.k4j.scheduler.plugins.defaultpreemption.Fixtures.Needs;
import io.k4j.scheduler.plugins.defaultpreemption.Fixtures.P;
import io.k4j.scheduler.plugins.defaultpreemption.Fixtures.RecordingEvictor;
import io.k4j.scheduler.plugins.defaultpreemption.Fixtures.RejectLabelled;
import io.k4j.scheduler.testing.FakeHandle;
import io.k4j.scheduler.testing.TestRunner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole PostFilter on small clusters: the node statuses come from running the test filters as the framework
 * would (so UNSCHEDULABLE and UNSCHEDULABLE_AND_UNRESOLVABLE are real), then preemption runs on them.
 */
class DefaultPreemptionTest {

    static final Map<String, String> REJECT = Map.of("reject", "true");

    /** One table row: the cluster, the preemptor, and what should come out. */
    static final class Case {
        final String name;
        final List<NodeInfo> nodes = new ArrayList<>();
        PodInfo preemptor;
        final List<PodDisruptionBudget> budgets = new ArrayList<>();
        final Map<String, List<PodInfo>> nominated = new HashMap<>();
        final Map<String, Status> statusOverrides = new HashMap<>();
        final Map<String, Object> args = new LinkedHashMap<>();
        int offset;
        final List<String> failOn = new ArrayList<>();

        Code code = Code.SUCCESS;
        String message = "";
        String nominatedNode;
        List<String> victims = List.of();
        String victimsNode;
        List<String> cleared = List.of();

        Case(String name) {
            this.name = name;
        }

        Case nodes(NodeInfo... values) {
            nodes.addAll(List.of(values));
            return this;
        }

        Case preemptor(P value) {
            preemptor = value.info();
            return this;
        }

        Case budgets(PodDisruptionBudget... values) {
            budgets.addAll(List.of(values));
            return this;
        }

        Case nominatedTo(String node, P... pods) {
            for (P pod : pods) {
                nominated.computeIfAbsent(node, n -> new ArrayList<>()).add(pod.info());
            }
            return this;
        }

        Case status(String node, Status status) {
            statusOverrides.put(node, status);
            return this;
        }

        Case arg(String key, Object value) {
            args.put(key, value);
            return this;
        }

        Case offset(int value) {
            offset = value;
            return this;
        }

        Case failEviction(String pod) {
            failOn.add(pod);
            return this;
        }

        Case preempts(String node, String... victimNames) {
            code = Code.SUCCESS;
            nominatedNode = node;
            victims = List.of(victimNames);
            victimsNode = node;
            return this;
        }

        /** The victims that were evicted (with an event each) before preemption failed. */
        Case evictedBeforeFailing(String node, String... victimNames) {
            victims = List.of(victimNames);
            victimsNode = node;
            return this;
        }

        /** No preemption: the status's code and message, and the nominated node name of the result. */
        Case fails(Code expectedCode, String expectedMessage, String expectedNominated) {
            code = expectedCode;
            message = expectedMessage;
            nominatedNode = expectedNominated;
            return this;
        }

        Case clears(String... pods) {
            cleared = List.of(pods);
            return this;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // ---- eligibility ----
                new Case("preemptionPolicy Never is not eligible")
                        .nodes(node("node1", 1000, pod("low").prio(1).cpu(800)))
                        .preemptor(pod("p").prio(10).cpu(500).never())
                        .fails(Code.UNSCHEDULABLE, NOT_ELIGIBLE_NEVER, null),
                new Case("a lower-priority victim still terminating on the nominated node: not eligible again")
                        .nodes(node("node1", 1000, pod("going").prio(1).cpu(800)
                                        .terminatingBecause("PreemptionByScheduler")),
                                node("node2", 1000, pod("low").prio(1).cpu(800)))
                        .preemptor(pod("p").prio(10).cpu(500).nominated("node1"))
                        .fails(Code.UNSCHEDULABLE, NOT_ELIGIBLE_TERMINATING, null),
                new Case("a pod terminating without a DisruptionTarget condition does not block")
                        .nodes(node("node1", 1000, pod("deleted").prio(1).cpu(800).terminating()))
                        .preemptor(pod("p").prio(10).cpu(500).nominated("node1"))
                        .preempts("node1", "deleted"),
                new Case("a pod terminating for another disruption does not block")
                        .nodes(node("node1", 1000, pod("evicted").prio(1).cpu(800)
                                .terminatingBecause("EvictionByEvictionAPI")))
                        .preemptor(pod("p").prio(10).cpu(500).nominated("node1"))
                        .preempts("node1", "evicted"),
                new Case("a terminating higher-priority pod on the nominated node does not block")
                        .nodes(node("node1", 1000, pod("high").prio(20).cpu(100)
                                        .terminatingBecause("PreemptionByScheduler"),
                                pod("low").prio(1).cpu(800)))
                        .preemptor(pod("p").prio(10).cpu(500).nominated("node1"))
                        .preempts("node1", "low"),
                new Case("a nominated node now unresolvable: eligible, preempts elsewhere")
                        .nodes(node("node1", 1000, REJECT, pod("going").prio(1).cpu(800)
                                        .terminatingBecause("PreemptionByScheduler")),
                                node("node2", 1000, pod("low").prio(1).cpu(800)))
                        .preemptor(pod("p").prio(10).cpu(500).nominated("node1"))
                        .preempts("node2", "low"),

                // ---- victims on one node ----
                new Case("one node, one victim")
                        .nodes(node("node1", 1000, pod("low").prio(1).cpu(600)))
                        .preemptor(pod("p").prio(10).cpu(600))
                        .preempts("node1", "low"),
                new Case("higher-priority potential victims are reprieved first")
                        .nodes(node("node1", 1000, pod("mid").prio(5).cpu(400), pod("low").prio(1).cpu(400)))
                        .preemptor(pod("p").prio(10).cpu(500))
                        .preempts("node1", "low"),
                new Case("pods of equal priority are not victims")
                        .nodes(node("node1", 1000, pod("same").prio(10).cpu(300), pod("low").prio(9).cpu(500)))
                        .preemptor(pod("p").prio(10).cpu(600))
                        .preempts("node1", "low"),
                new Case("of equal priorities the earlier-started is reprieved first")
                        .nodes(node("node1", 1000, pod("newer").prio(1).cpu(400).started("2025-06-01T00:00:00Z"),
                                pod("older").prio(1).cpu(400).started("2025-01-01T00:00:00Z")))
                        .preemptor(pod("p").prio(10).cpu(500))
                        .preempts("node1", "newer"),
                new Case("several victims, highest priority first")
                        .nodes(node("node1", 1000, pod("a").prio(1).cpu(300), pod("b").prio(3).cpu(300),
                                pod("c").prio(2).cpu(300)))
                        .preemptor(pod("p").prio(10).cpu(900))
                        .preempts("node1", "b", "c", "a"),
                new Case("PDB-protected pods are reprieved before unprotected ones")
                        .nodes(node("node1", 1000, pod("protected").prio(1).cpu(500).label("app", "db"),
                                pod("free").prio(5).cpu(500)))
                        .budgets(pdb("db", 0, matchLabels("app", "db")))
                        .preemptor(pod("p").prio(10).cpu(500))
                        .preempts("node1", "free"),
                new Case("anti-affinity state follows the removed and reprieved pods")
                        .nodes(node("node1", 1000, pod("red").prio(5).cpu(100).label("team", "red"),
                                pod("blue").prio(1).cpu(100).label("team", "blue")))
                        .preemptor(pod("p").prio(10).cpu(100).label("avoid", "red"))
                        .preempts("node1", "red"),

                // ---- nothing to gain ----
                new Case("only higher-priority pods on the node")
                        .nodes(node("node1", 1000, pod("high").prio(20).cpu(800)))
                        .preemptor(pod("p").prio(10).cpu(500))
                        .fails(Code.UNSCHEDULABLE,
                                "0/1 nodes are available: 1 No preemption victims found for incoming pod.", ""),
                new Case("does not fit even with every lower-priority pod gone")
                        .nodes(node("node1", 400, pod("low").prio(1).cpu(100)))
                        .preemptor(pod("p").prio(10).cpu(500))
                        .fails(Code.UNSCHEDULABLE, "0/1 nodes are available: 1 Insufficient cpu.", ""),
                new Case("unresolvable nodes are not tried; the message counts every kind")
                        .nodes(node("node1", 1000, REJECT, pod("low1").prio(1).cpu(800)),
                                node("node2", 1000, pod("high").prio(20).cpu(800)),
                                node("node3", 400, pod("low3").prio(1).cpu(100)))
                        .preemptor(pod("p").prio(10).cpu(500))
                        .fails(Code.UNSCHEDULABLE, "0/3 nodes are available: 1 Insufficient cpu, "
                                + "1 No preemption victims found for incoming pod, "
                                + "1 Preemption is not helpful for scheduling.", ""),
                new Case("every node unresolvable: the preemptor's nomination is cleared")
                        .nodes(node("node1", 1000, REJECT, pod("low1").prio(1).cpu(800)),
                                node("node2", 1000, REJECT, pod("low2").prio(1).cpu(800)))
                        .preemptor(pod("p").prio(10).cpu(500).nominated("node2"))
                        .fails(Code.UNSCHEDULABLE,
                                "0/2 nodes are available: 2 Preemption is not helpful for scheduling.", "")
                        .clears("p"),
                new Case("a node missing from the statuses is not a candidate")
                        .nodes(node("node1", 1000, pod("low1").prio(1).cpu(800)),
                                node("node2", 1000, pod("low2").prio(1).cpu(800)))
                        .status("node1", null)
                        .preemptor(pod("p").prio(10).cpu(500))
                        .preempts("node2", "low2"),
                new Case("fits once nothing is removed: an error, as upstream")
                        .nodes(node("node1", 1000, pod("low").prio(1).cpu(100)))
                        .status("node1", Status.unschedulable("made up"))
                        .preemptor(pod("p").prio(10).cpu(500))
                        .fails(Code.ERROR, "expected at least one victim pod on node \"node1\"", null),

                // ---- nominated pods ----
                new Case("a higher-priority pod nominated to the node keeps its room")
                        .nodes(node("node1", 1000, pod("low1").prio(1).cpu(600)),
                                node("node2", 1000, pod("low2").prio(1).cpu(600)))
                        .nominatedTo("node1", pod("waiting").prio(20).cpu(600))
                        .preemptor(pod("p").prio(10).cpu(500))
                        .preempts("node2", "low2"),
                new Case("the filters must pass without the nominated pods too")
                        .nodes(node("node1", 1000, pod("low").prio(1).cpu(600)))
                        .nominatedTo("node1", pod("blue").prio(20).cpu(100).label("team", "blue"))
                        .preemptor(pod("p").prio(10).cpu(500).label("need", "blue"))
                        .fails(Code.UNSCHEDULABLE, "0/1 nodes are available: 1 " + Fixtures.NEEDS + ".", ""),
                new Case("lower-priority pods nominated to the chosen node lose the nomination")
                        .nodes(node("node1", 1000, pod("low").prio(1).cpu(600)))
                        .nominatedTo("node1", pod("lesser").prio(5).cpu(600).nominated("node1"))
                        .preemptor(pod("p").prio(10).cpu(500))
                        .preempts("node1", "low")
                        .clears("lesser"),

                // ---- choosing the node (preemptor takes a whole node, so every lower pod is a victim) ----
                new Case("fewest PDB violations wins")
                        .nodes(node("node1", 1000, pod("guarded").prio(1).cpu(100).label("app", "db")),
                                node("node2", 1000, pod("free").prio(5).cpu(100)))
                        .budgets(pdb("db", 0, matchLabels("app", "db")))
                        .preemptor(pod("p").prio(10).cpu(1000))
                        .preempts("node2", "free"),
                new Case("a budget with disruptions left is no violation")
                        .nodes(node("node1", 1000, pod("guarded").prio(1).cpu(100).label("app", "db")),
                                node("node2", 1000, pod("free").prio(5).cpu(100)))
                        .budgets(pdb("db", 1, matchLabels("app", "db")))
                        .preemptor(pod("p").prio(10).cpu(1000))
                        .preempts("node1", "guarded"),
                new Case("lowest highest-priority victim wins")
                        .nodes(node("node1", 1000, pod("a").prio(5).cpu(100)),
                                node("node2", 1000, pod("b1").prio(3).cpu(100), pod("b2").prio(3).cpu(100)))
                        .preemptor(pod("p").prio(10).cpu(1000))
                        .preempts("node2", "b1", "b2"),
                new Case("smallest sum of priorities wins")
                        .nodes(node("node1", 1000, pod("a1").prio(3).cpu(100), pod("a2").prio(2).cpu(100)),
                                node("node2", 1000, pod("b1").prio(3).cpu(100), pod("b2").prio(1).cpu(100)))
                        .preemptor(pod("p").prio(10).cpu(1000))
                        .preempts("node2", "b1", "b2"),
                new Case("negative priorities: more victims is a larger sum")
                        .nodes(node("node1", 1000, pod("a1").prio(-5).cpu(100), pod("a2").prio(-5).cpu(100)),
                                node("node2", 1000, pod("b").prio(-5).cpu(100)))
                        .preemptor(pod("p").prio(10).cpu(1000))
                        .preempts("node2", "b"),
                new Case("equal sums: fewest victims wins")
                        .nodes(node("node1", 1000, pod("a1").prio(3).cpu(100),
                                        pod("a2").prio(-1073741824).cpu(100), pod("a3").prio(-1073741821).cpu(100)),
                                node("node2", 1000, pod("b1").prio(3).cpu(100), pod("b2").prio(3).cpu(100)))
                        .preemptor(pod("p").prio(10).cpu(1000))
                        .preempts("node2", "b1", "b2"),
                new Case("latest start of the highest-priority victims wins")
                        .nodes(node("node1", 1000, pod("old").prio(3).cpu(100).started("2025-01-01T00:00:00Z")),
                                node("node2", 1000, pod("new").prio(3).cpu(100).started("2025-06-01T00:00:00Z")))
                        .preemptor(pod("p").prio(10).cpu(1000))
                        .preempts("node2", "new"),
                new Case("a full tie: the first node tried")
                        .nodes(node("node1", 1000, pod("a").prio(3).cpu(100)),
                                node("node2", 1000, pod("b").prio(3).cpu(100)))
                        .preemptor(pod("p").prio(10).cpu(1000))
                        .preempts("node1", "a"),
                new Case("a full tie with offset 1: the dry run starts at node2")
                        .nodes(node("node1", 1000, pod("a").prio(3).cpu(100)),
                                node("node2", 1000, pod("b").prio(3).cpu(100)))
                        .offset(1)
                        .preemptor(pod("p").prio(10).cpu(1000))
                        .preempts("node2", "b"),

                // ---- how many candidates ----
                new Case("enough candidates: the dry run stops at the first")
                        .nodes(node("node1", 1000, pod("a").prio(5).cpu(100)),
                                node("node2", 1000, pod("b").prio(1).cpu(100)))
                        .arg("minCandidateNodesPercentage", 0).arg("minCandidateNodesAbsolute", 1)
                        .preemptor(pod("p").prio(10).cpu(1000))
                        .preempts("node1", "a"),
                new Case("enough candidates, offset 1")
                        .nodes(node("node1", 1000, pod("a").prio(1).cpu(100)),
                                node("node2", 1000, pod("b").prio(5).cpu(100)),
                                node("node3", 1000, pod("c").prio(1).cpu(100)))
                        .arg("minCandidateNodesPercentage", 0).arg("minCandidateNodesAbsolute", 1)
                        .offset(1)
                        .preemptor(pod("p").prio(10).cpu(1000))
                        .preempts("node2", "b"),
                new Case("a violating candidate alone does not stop the dry run")
                        .nodes(node("node1", 1000, pod("guarded").prio(1).cpu(100).label("app", "db")),
                                node("node2", 1000, pod("free").prio(5).cpu(100)))
                        .budgets(pdb("db", 0, matchLabels("app", "db")))
                        .arg("minCandidateNodesPercentage", 0).arg("minCandidateNodesAbsolute", 1)
                        .preemptor(pod("p").prio(10).cpu(1000))
                        .preempts("node2", "free"),

                new Case("enough candidates counts violating ones once there is a non-violating one")
                        .nodes(node("node1", 1000, pod("a").prio(5).cpu(100)),
                                node("node2", 1000, pod("guarded").prio(1).cpu(100).label("app", "db")),
                                node("node3", 1000, pod("c").prio(1).cpu(100)))
                        .budgets(pdb("db", 0, matchLabels("app", "db")))
                        .arg("minCandidateNodesPercentage", 0).arg("minCandidateNodesAbsolute", 2)
                        .preemptor(pod("p").prio(10).cpu(1000))
                        .preempts("node1", "a"),
                new Case("candidates beyond the count are dropped, as upstream's fixed-size lists")
                        .nodes(node("node1", 1000, pod("g1").prio(5).cpu(100).label("app", "db")),
                                node("node2", 1000, pod("g2").prio(1).cpu(100).label("app", "db")))
                        .budgets(pdb("db", 0, matchLabels("app", "db")))
                        .arg("minCandidateNodesPercentage", 0).arg("minCandidateNodesAbsolute", 1)
                        .preemptor(pod("p").prio(10).cpu(1000))
                        .preempts("node1", "g1"),

                // ---- acting ----
                new Case("a refused eviction fails preemption and nominates nothing")
                        .nodes(node("node1", 1000, pod("a").prio(1).cpu(400), pod("b").prio(2).cpu(400)))
                        .failEviction("a")
                        .preemptor(pod("p").prio(10).cpu(1000))
                        .fails(Code.ERROR, "pods \"a\" is forbidden", null)
                        .evictedBeforeFailing("node1", "b"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void postFilter(Case c) {
        FakeHandle handle = new FakeHandle();
        Snapshot snapshot = Snapshot.of(c.nodes);
        handle.snapshot = snapshot;
        handle.budgets.addAll(c.budgets);
        c.nominated.forEach((node, pods) -> handle.nominated.put(node, new ArrayList<>(pods)));
        TestRunner runner = TestRunner.of(new Conflicts(), new RejectLabelled(), new FitsByCpu(), new Needs());
        handle.runner = runner;

        CycleState state = new CycleState();
        assertThat(runner.preFilter(state, c.preemptor, snapshot).isSuccess()).isTrue();
        Map<String, Status> statuses = new HashMap<>(runner.filterAll(state, c.preemptor, snapshot));
        c.statusOverrides.forEach((node, status) -> {
            if (status == null) {
                statuses.remove(node);
            } else {
                statuses.put(node, status);
            }
        });
        Map<String, List<String>> podsBefore = podsByNode(snapshot);

        RecordingEvictor evictor = new RecordingEvictor();
        evictor.failOn.addAll(c.failOn);
        DefaultPreemption plugin = new DefaultPreemption(new PluginArgs(c.args), handle, evictor, n -> c.offset);
        PostFilterPlugin.Result result = plugin.postFilter(state, c.preemptor, statuses);

        assertThat(result.status().code()).as("code: %s", result.status().message()).isEqualTo(c.code);
        // Upstream's PostFilter puts "preemption: " before every message; the cases list what follows it.
        assertThat(result.status().message()).isEqualTo(c.message.isEmpty() ? "" : DefaultPreemption.MESSAGE_PREFIX + c.message);
        assertThat(result.nominatedNodeName()).isEqualTo(c.nominatedNode);
        assertThat(evictor.evicted).containsExactlyElementsOf(c.victims);
        assertThat(evictor.cleared).containsExactlyElementsOf(c.cleared);
        List<FakeHandle.RecordedEvent> expectedEvents = new ArrayList<>();
        for (String victim : c.victims) {
            expectedEvents.add(new FakeHandle.RecordedEvent(victim, "Normal", "Preempted",
                    "Preempted by pod uid-p on node " + c.victimsNode));
        }
        if (c.code == Code.SUCCESS) {
            assertThat(handle.nominatedPods(c.nominatedNode)).contains(c.preemptor);
        } else {
            assertThat(handle.nominated.values().stream().flatMap(List::stream)).doesNotContain(c.preemptor);
        }
        assertThat(handle.events).containsExactlyElementsOf(expectedEvents);
        // The dry runs worked on copies: the snapshot and the cycle's own state are as they were.
        assertThat(podsByNode(snapshot)).isEqualTo(podsBefore);
        CycleState fresh = new CycleState();
        runner.preFilter(fresh, c.preemptor, snapshot);
        assertThat(runner.filterAll(state, c.preemptor, snapshot))
                .isEqualTo(runner.filterAll(fresh, c.preemptor, snapshot));
    }

    private static Map<String, List<String>> podsByNode(Snapshot snapshot) {
        Map<String, List<String>> pods = new HashMap<>();
        for (NodeInfo node : snapshot.nodes()) {
            pods.put(node.name(), node.pods().stream().map(PodInfo::name).toList());
        }
        return pods;
    }
}

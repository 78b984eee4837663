package io.k4j.scheduler.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k4j.scheduler.config.PluginSet;
import io.k4j.scheduler.config.Profile;
import io.k4j.scheduler.framework.BindPlugin;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.FilterPlugin;
import io.k4j.scheduler.framework.Handle;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PluginFactory;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.QueueSortPlugin;
import io.k4j.scheduler.framework.ScorePlugin;
import io.k4j.scheduler.framework.Snapshot;
import io.k4j.scheduler.framework.Status;
import io.k4j.scheduler.runtime.Framework;
import io.k4j.scheduler.testing.FakeHandle;
import io.k4j.scheduler.testing.TestPods;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SchedulingAlgorithmTest {

    /** Rejects nodes without the CPU; says so as NodeResourcesFit would. */
    static final class CpuFit implements FilterPlugin {
        @Override
        public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
            return node.allocatable().milliCpu - node.requested().milliCpu >= pod.requests().milliCpu
                    ? Status.success() : Status.unschedulable("Insufficient cpu");
        }

        @Override
        public String name() {
            return "CpuFit";
        }
    }

    /** Rejects nodes whose name ends in "-tainted", unresolvably. */
    static final class NoTainted implements FilterPlugin {
        @Override
        public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
            return node.name().endsWith("-tainted") ? Status.unresolvable("node(s) had untolerated taint {a: b}") : Status.success();
        }

        @Override
        public String name() {
            return "NoTainted";
        }
    }

    /** More free CPU, higher score (already within 0..100 for these nodes). */
    static final class FreeCpu implements ScorePlugin {
        @Override
        public long score(CycleState state, PodInfo pod, NodeInfo node) {
            return (node.allocatable().milliCpu - node.requested().milliCpu) / 100;
        }

        @Override
        public String name() {
            return "FreeCpu";
        }
    }

    static final class Sort implements QueueSortPlugin {
        @Override
        public boolean less(QueuedPod a, QueuedPod b) {
            return a.pod().priority() > b.pod().priority();
        }

        @Override
        public String name() {
            return "PrioritySort";
        }
    }

    static final class NoBind implements BindPlugin {
        @Override
        public Status bind(CycleState state, PodInfo pod, String nodeName) {
            return Status.success();
        }

        @Override
        public String name() {
            return "DefaultBinder";
        }
    }

    private final FakeHandle handle = new FakeHandle();

    private Framework framework(String... plugins) {
        Map<String, PluginFactory> registry = new HashMap<>();
        registry.put("CpuFit", (args, h) -> new CpuFit());
        registry.put("NoTainted", (args, h) -> new NoTainted());
        registry.put("FreeCpu", (args, h) -> new FreeCpu());
        registry.put("PrioritySort", (args, h) -> new Sort());
        registry.put("DefaultBinder", (args, h) -> new NoBind());
        List<PluginSet.Entry> enabled = new ArrayList<>();
        for (String plugin : plugins) {
            enabled.add(new PluginSet.Entry(plugin, 0));
        }
        enabled.add(new PluginSet.Entry("PrioritySort", 0));
        enabled.add(new PluginSet.Entry("DefaultBinder", 0));
        Profile profile = new Profile("test", new PluginSet(enabled, List.of(PluginSet.ALL)), Map.of(), Map.of(), null);
        return Framework.build(profile, registry, runner -> handle);
    }

    private static NodeInfo node(String name, String cpu) {
        return new NodeInfo(TestPods.node(name, cpu, "8Gi", 110));
    }

    private SchedulingAlgorithm algorithm() {
        return new SchedulingAlgorithm(new Random(1), 0, handle);
    }

    @ParameterizedTest
    @CsvSource({
            ",    0,    50,  50",
            ",    0,   100, 100",
            ",    0,  1000, 420",
            ",    0,  5000, 500",
            ",    0, 10000, 500",
            ",   30,  1000, 300",
            "10,  0,   200, 100",
            "100, 0,  5000, 5000"})
    void findsAsManyFeasibleNodesAsUpstream(Integer profile, int global, int nodes, int expected) {
        assertThat(SchedulingAlgorithm.numFeasibleNodesToFind(profile, global, nodes)).isEqualTo(expected);
    }

    @Test
    void picksTheBestScoredFeasibleNode() throws Exception {
        Framework framework = framework("CpuFit", "FreeCpu");
        Snapshot snapshot = Snapshot.of(node("small", "1"), node("big", "8"), node("medium", "4"));
        ScheduleResult result = algorithm().schedule(framework, new CycleState(), TestPods.info("p", 0, "2"), snapshot);
        assertThat(result.node()).isEqualTo("big");
        assertThat(result.feasibleNodes()).isEqualTo(2);
        assertThat(result.topNodes()).extracting(ScheduleResult.NodeScore::node).containsExactly("big", "medium");
        assertThat(result.topNodes().getFirst().byPlugin()).containsEntry("FreeCpu", 80L);
    }

    @Test
    void noFittingNodeGivesUpstreamsMessageWithReasonsCountedAndSorted() {
        Framework framework = framework("NoTainted", "CpuFit");
        Snapshot snapshot = Snapshot.of(node("a", "1"), node("b", "1"), node("c-tainted", "8"));
        assertThatThrownBy(() -> algorithm().schedule(framework, new CycleState(), TestPods.info("p", 0, "2"), snapshot))
                .isInstanceOfSatisfying(FitError.class, error -> {
                    assertThat(error.getMessage()).isEqualTo(
                            "0/3 nodes are available: 1 node(s) had untolerated taint {a: b}, 2 Insufficient cpu.");
                    assertThat(error.diagnosis().rejectingPlugins()).containsExactly("CpuFit", "NoTainted");
                    assertThat(error.diagnosis().groups(Integer.MAX_VALUE)).extracting(Diagnosis.Group::plugin, Diagnosis.Group::nodes)
                            .containsExactly(org.assertj.core.groups.Tuple.tuple("CpuFit", List.of("a", "b")),
                                    org.assertj.core.groups.Tuple.tuple("NoTainted", List.of("c-tainted")));
                });
    }

    @Test
    void anEmptyClusterSaysSo() {
        assertThatThrownBy(() -> algorithm().schedule(framework("CpuFit"), new CycleState(), TestPods.info("p", 0, "1"),
                new Snapshot().seal())).hasMessage("0/0 nodes are available: no nodes available to schedule pods.");
    }

    @Test
    void searchesRoundRobinFromWhereTheLastCycleStopped() throws Exception {
        Framework framework = framework("CpuFit");
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            nodes.add(node("n" + i, "4"));
        }
        Snapshot snapshot = Snapshot.of(nodes);
        SchedulingAlgorithm algorithm = algorithm();
        // 300 nodes: the adaptive percentage is 50 - 300/125 = 48%, so 144 feasible nodes; the next cycle starts there.
        ScheduleResult first = algorithm.schedule(framework, new CycleState(), TestPods.info("p1", 0, "1"), snapshot);
        assertThat(first.evaluatedNodes()).isEqualTo(144);
        ScheduleResult second = algorithm.schedule(framework, new CycleState(), TestPods.info("p2", 0, "1"), snapshot);
        assertThat(Integer.parseInt(second.node().substring(1))).isBetween(144, 287);
    }

    @Test
    void podsNominatedToANodeKeepTheirRoomFromLowerPriorityPods() throws Exception {
        Framework framework = framework("CpuFit");
        handle.nominate(TestPods.info("preemptor", 100, "3"), "only");
        Snapshot snapshot = Snapshot.of(node("only", "4"));
        assertThatThrownBy(() -> algorithm().schedule(framework, new CycleState(), TestPods.info("low", 0, "2"), snapshot))
                .hasMessageContaining("1 Insufficient cpu");
        ScheduleResult higher = algorithm().schedule(framework, new CycleState(), TestPods.info("higher", 200, "2"), snapshot);
        assertThat(higher.node()).isEqualTo("only");
    }
}

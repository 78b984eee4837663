package io.k4j.scheduler.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.FilterPlugin;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PluginFactory;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.PreFilterPlugin;
import io.k4j.scheduler.framework.PreScorePlugin;
import io.k4j.scheduler.framework.ScorePlugin;
import io.k4j.scheduler.framework.Snapshot;
import io.k4j.scheduler.framework.Status;
import io.k4j.scheduler.plugins.interpodaffinity.InterPodAffinity;
import io.k4j.scheduler.plugins.podtopologyspread.PodTopologySpread;
import io.k4j.scheduler.testing.FakeHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Both plugins through whole cycles (PreFilter, Filter on every node, PreScore, Score, normalize) on 5,000 nodes,
 * placing ReplicaSet pods with required hostname anti-affinity one after another (so PodTopologySpread's system
 * default constraints score too): checks that every pod lands on its own node and prints the CPU time per phase.
 * A loose bound only catches gross regressions; the benchmark measures for real.
 */
class AffinityPluginsScaleTest {

    private static final java.lang.management.ThreadMXBean CPU =
            java.lang.management.ManagementFactory.getThreadMXBean();
    private static final int NODES = 5000;
    private static final int PODS = 300;

    @Test
    void requiredAntiAffinityAtScale() {
        Map<String, PluginFactory> registry = new HashMap<>();
        AffinityPlugins.register(registry);
        assertThat(registry).containsKeys(PodTopologySpread.NAME, InterPodAffinity.NAME);

        FakeHandle handle = new FakeHandle();
        Snapshot snapshot = new Snapshot();
        Map<String, NodeInfo> infos = new HashMap<>();
        for (int i = 0; i < NODES; i++) {
            String name = "node-" + i;
            Node node = new NodeBuilder().withNewMetadata().withName(name).withLabels(Map.of(
                    "kubernetes.io/hostname", name, "topology.kubernetes.io/zone", "zone-" + (i % 10)))
                    .endMetadata().build();
            NodeInfo info = new NodeInfo(node);
            infos.put(name, info);
            snapshot.put(info);
        }
        handle.snapshot = snapshot.seal();
        List<Object> plugins = new ArrayList<>();
        for (PluginFactory f : registry.values()) {
            plugins.add(f.create(PluginArgs.NONE, handle));
        }

        long start = CPU.getCurrentThreadCpuTime();
        Map<String, Long> phase = new java.util.TreeMap<>();
        Map<String, Integer> perNode = new HashMap<>();
        for (int p = 0; p < PODS; p++) {
            Pod pod = new PodBuilder().withNewMetadata().withName("web-" + p).withNamespace("default")
                    .withUid("uid-" + p).withLabels(Map.of("app", "web"))
                    .withOwnerReferences(new OwnerReferenceBuilder().withKind("ReplicaSet").withName("web")
                            .withUid("rs").build()).endMetadata()
                    .withNewSpec().withNewAffinity().withNewPodAntiAffinity()
                    .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .withTopologyKey("kubernetes.io/hostname").withNewLabelSelector()
                    .withMatchLabels(Map.of("app", "web")).endLabelSelector()
                    .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().endAffinity()
                    .endSpec().build();
            PodInfo info = new PodInfo(pod);
            CycleState state = new CycleState();
            List<Object> active = new ArrayList<>();
            for (Object pl : plugins) {
                long t0 = CPU.getCurrentThreadCpuTime();
                Status s = ((PreFilterPlugin) pl).preFilter(state, info, handle.snapshot).status();
                phase.merge(((io.k4j.scheduler.framework.Plugin) pl).name() + " preFilter", CPU.getCurrentThreadCpuTime() - t0, Long::sum);
                if (!s.isSkip()) {
                    assertThat(s.isSuccess()).isTrue();
                    active.add(pl);
                }
            }
            List<NodeInfo> feasible = new ArrayList<>();
            long t1 = CPU.getCurrentThreadCpuTime();
            for (NodeInfo node : handle.snapshot.nodes()) {
                boolean fits = true;
                for (Object pl : active) {
                    if (!((FilterPlugin) pl).filter(state, info, node).isSuccess()) {
                        fits = false;
                        break;
                    }
                }
                if (fits) {
                    feasible.add(node);
                }
            }
            phase.merge("filter", CPU.getCurrentThreadCpuTime() - t1, Long::sum);
            assertThat(feasible).hasSize(NODES - p);
            long[] total = new long[feasible.size()];
            for (Object pl : plugins) {
                String n = ((io.k4j.scheduler.framework.Plugin) pl).name();
                long t2 = CPU.getCurrentThreadCpuTime();
                boolean skip = ((PreScorePlugin) pl).preScore(state, info, feasible).isSkip();
                phase.merge(n + " preScore", CPU.getCurrentThreadCpuTime() - t2, Long::sum);
                if (skip) {
                    continue;
                }
                t2 = CPU.getCurrentThreadCpuTime();
                ScorePlugin scorer = (ScorePlugin) pl;
                long[] scores = new long[feasible.size()];
                for (int i = 0; i < scores.length; i++) {
                    scores[i] = scorer.score(state, info, feasible.get(i));
                }
                phase.merge(n + " score", CPU.getCurrentThreadCpuTime() - t2, Long::sum);
                t2 = CPU.getCurrentThreadCpuTime();
                scorer.normalizeScores(state, info, feasible, scores);
                phase.merge(n + " normalize", CPU.getCurrentThreadCpuTime() - t2, Long::sum);
                for (int i = 0; i < scores.length; i++) {
                    total[i] += scores[i];
                }
            }
            int best = 0;
            for (int i = 1; i < total.length; i++) {
                if (total[i] > total[best]) {
                    best = i;
                }
            }
            String chosen = feasible.get(best).name();
            assertThat(perNode.merge(chosen, 1, Integer::sum)).isEqualTo(1);
            NodeInfo updated = infos.get(chosen).copy();
            updated.addPod(new PodInfo(new PodBuilder(pod).editSpec().withNodeName(chosen).endSpec().build()));
            infos.put(chosen, updated);
            handle.snapshot.put(updated);
            handle.snapshot.seal();
        }
        double seconds = (CPU.getCurrentThreadCpuTime() - start) / 1e9;
        phase.forEach((k, v) -> System.out.printf("  %-30s %.3f ms/pod%n", k, v / 1e6 / PODS));
        System.out.printf("%d pods on %d nodes in %.2fs of CPU: %.0f pods/s%n", PODS, NODES, seconds, PODS / seconds);
        assertThat(PODS / seconds).isGreaterThan(10);
    }
}

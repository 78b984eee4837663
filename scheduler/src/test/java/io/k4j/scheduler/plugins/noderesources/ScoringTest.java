package io.k4j.scheduler.plugins.noderesources;

import static io.k4j.scheduler.plugins.BasicFixtures.container;
import static io.k4j.scheduler.plugins.BasicFixtures.node;
import static io.k4j.scheduler.plugins.BasicFixtures.nodeInfo;
import static io.k4j.scheduler.plugins.BasicFixtures.pod;
import static io.k4j.scheduler.plugins.BasicFixtures.podRequesting;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.PreScorePlugin;
import io.k4j.scheduler.framework.ScorePlugin;
import io.k4j.scheduler.testing.FakeHandle;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** NodeResourcesFit's three strategies and NodeResourcesBalancedAllocation, each node scored as upstream does. */
class ScoringTest {

    private static final Map<String, Object> LEAST = Map.of();
    private static final Map<String, Object> MOST = Map.of("scoringStrategy", Map.of("type", "MostAllocated"));

    private static Map<String, Object> ratio(List<List<Integer>> shape) {
        return Map.of("scoringStrategy", Map.of("type", "RequestedToCapacityRatio", "requestedToCapacityRatio",
                Map.of("shape", shape.stream().map(p -> Map.of("utilization", p.get(0), "score", p.get(1))).toList())));
    }

    private static NodeInfo sized(String name, String cpu, String memory, Pod... pods) {
        return nodeInfo(node(name, Map.of("cpu", cpu, "memory", memory, "pods", "110")).build(), pods);
    }

    /** Upstream's "nothing scheduled, resources requested, differently sized nodes": 3000m and 5000 bytes. */
    private static final Pod CPU3_MEM5 = podRequesting("p", "1000m", "2000", "2000m", "3000");

    static Stream<Arguments> fitCases() {
        Pod existing = podRequesting("e", "1", "2Gi");
        Pod gpuPod = pod("p").editSpec().withContainers(container("c", Map.of("cpu", "1", "memory", "1Gi",
                "example.com/gpu", "1"))).endSpec().build();
        NodeInfo gpuNode = nodeInfo(node("g", Map.of("cpu", "4", "memory", "4Gi", "example.com/gpu", "4", "pods", "110")).build());
        Map<String, Object> cpuAndGpu = Map.of("scoringStrategy", Map.of("resources",
                List.of(Map.of("name", "cpu", "weight", 1), Map.of("name", "example.com/gpu", "weight", 1))));
        return Stream.of(
                Arguments.of("least: differently sized nodes", LEAST, CPU3_MEM5,
                        List.of(sized("n1", "4", "10000"), sized("n2", "6", "10000")), new long[] {37, 50}),
                Arguments.of("least: existing pods count", LEAST, podRequesting("p", "1", "2Gi"),
                        List.of(sized("n1", "4", "8Gi", existing), sized("n2", "8", "8Gi")), new long[] {50, 81}),
                Arguments.of("least: a pod without requests counts 100m and 200Mi", LEAST, pod("p").editSpec()
                        .withContainers(container("c", Map.of())).endSpec().build(),
                        List.of(sized("n1", "1", "1Gi")), new long[] {85}),
                Arguments.of("least: more than the node has scores 0 for that resource", LEAST, podRequesting("p", "5", "1Gi"),
                        List.of(sized("n1", "4", "2Gi")), new long[] {25}),
                Arguments.of("least: weights", Map.of("scoringStrategy", Map.of("resources", List.of(
                        Map.of("name", "cpu", "weight", 3), Map.of("name", "memory", "weight", 1)))), CPU3_MEM5,
                        List.of(sized("n1", "4", "10000")), new long[] {31}),
                Arguments.of("least: an extended resource the pod requests", cpuAndGpu, gpuPod, List.of(gpuNode),
                        new long[] {75}),
                Arguments.of("least: an extended resource the pod does not request is left out", cpuAndGpu,
                        podRequesting("p", "2", "1Gi"), List.of(gpuNode), new long[] {50}),
                Arguments.of("most: differently sized nodes", MOST, CPU3_MEM5,
                        List.of(sized("n1", "4", "10000"), sized("n2", "6", "10000")), new long[] {62, 50}),
                Arguments.of("most: existing pods count", MOST, podRequesting("p", "1", "2Gi"),
                        List.of(sized("n1", "4", "8Gi", existing), sized("n2", "8", "8Gi")), new long[] {50, 18}),
                Arguments.of("most: over capacity counts as full", MOST, podRequesting("p", "5", "1Gi"),
                        List.of(sized("n1", "4", "2Gi")), new long[] {75}),
                Arguments.of("ratio: least-allocated shape, rounded", ratio(List.of(List.of(0, 10), List.of(100, 0))), CPU3_MEM5,
                        List.of(sized("n1", "4", "10000"), sized("n2", "6", "10000")), new long[] {38, 50}),
                Arguments.of("ratio: most-allocated shape", ratio(List.of(List.of(0, 0), List.of(100, 10))), CPU3_MEM5,
                        List.of(sized("n1", "4", "10000"), sized("n2", "6", "10000")), new long[] {63, 50}),
                Arguments.of("ratio: zero scores leave their weight out", ratio(List.of(List.of(50, 0), List.of(100, 10))),
                        podRequesting("p", "1", "8000"), List.of(sized("n1", "4", "10000")), new long[] {60}),
                Arguments.of("ratio: over capacity counts as 100% utilization", ratio(List.of(List.of(0, 0), List.of(100, 10))),
                        podRequesting("p", "8", "5000"), List.of(sized("n1", "4", "10000")), new long[] {75}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fitCases")
    void fit(String name, Map<String, Object> args, Pod pod, List<NodeInfo> nodes, long[] expected) {
        assertScores(new Fit(new PluginArgs(args), new FakeHandle()), pod, nodes, expected);
    }

    static Stream<Arguments> balancedCases() {
        Map<String, Object> withGpu = Map.of("resources", List.of(Map.of("name", "cpu", "weight", 1),
                Map.of("name", "memory", "weight", 1), Map.of("name", "example.com/gpu", "weight", 1)));
        Pod gpuPod = pod("p").editSpec().withContainers(container("c", Map.of("cpu", "2", "memory", "2Gi",
                "example.com/gpu", "2"))).endSpec().build();
        return Stream.of(
                Arguments.of("differently sized nodes", Map.of(), CPU3_MEM5,
                        List.of(sized("n1", "4", "10000"), sized("n2", "6", "10000")), new long[] {87, 100}),
                Arguments.of("actual requests, not the non-zero defaults", Map.of(), pod("p").editSpec()
                        .withContainers(container("c", Map.of())).endSpec().build(),
                        List.of(sized("n1", "4", "4Gi", podRequesting("e", "1", "2Gi")), sized("n2", "4", "4Gi")),
                        new long[] {87, 100}),
                Arguments.of("fractions above 1 count as 1", Map.of(), podRequesting("p", "8", "2Gi"),
                        List.of(sized("n1", "4", "4Gi")), new long[] {75}),
                Arguments.of("three resources: the standard deviation", withGpu, gpuPod,
                        List.of(nodeInfo(node("g", Map.of("cpu", "4", "memory", "4Gi", "example.com/gpu", "2", "pods", "110"))
                                .build())), new long[] {76}),
                Arguments.of("a resource the node has none of is left out", Map.of(), podRequesting("p", "1", "1Gi"),
                        List.of(nodeInfo(node("n", Map.of("cpu", "4", "pods", "110")).build())), new long[] {100}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("balancedCases")
    void balanced(String name, Map<String, Object> args, Pod pod, List<NodeInfo> nodes, long[] expected) {
        assertScores(new BalancedAllocation(new PluginArgs(args), new FakeHandle()), pod, nodes, expected);
    }

    private static <P extends PreScorePlugin & ScorePlugin> void assertScores(P plugin, Pod pod, List<NodeInfo> nodes,
            long[] expected) {
        PodInfo info = new PodInfo(pod);
        CycleState state = new CycleState();
        assertThat(plugin.preScore(state, info, nodes).isSuccess()).isTrue();
        long[] scores = new long[nodes.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = plugin.score(state, info, nodes.get(i));
            assertThat(plugin.score(new CycleState(), info, nodes.get(i))).as("without PreScore").isEqualTo(scores[i]);
        }
        plugin.normalizeScores(state, info, nodes, scores);
        assertThat(scores).containsExactly(expected);
    }
}

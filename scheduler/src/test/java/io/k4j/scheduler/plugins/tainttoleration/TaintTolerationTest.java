package io.k4j.scheduler.plugins.tainttoleration;

import static io.k4j.scheduler.plugins.BasicFixtures.taint;
import static io.k4j.scheduler.plugins.BasicFixtures.toleration;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.k4j.scheduler.framework.Code;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.EnqueueExtensions.QueueingHint;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.Status;
import io.k4j.scheduler.plugins.BasicFixtures;
import io.k4j.scheduler.testing.FakeHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaintTolerationTest {

    private final TaintToleration plugin = new TaintToleration(PluginArgs.NONE, new FakeHandle());

    static Stream<Arguments> filterCases() {
        return Stream.of(
                Arguments.of("no taints, no tolerations", List.of(), List.of(), Code.SUCCESS, null),
                Arguments.of("untolerated NoSchedule taint", List.of(),
                        List.of(taint("dedicated", "user1", "NoSchedule")), Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
                        "node(s) had untolerated taint {dedicated: user1}"),
                Arguments.of("tolerated NoSchedule taint", List.of(toleration("dedicated", "Equal", "user1", "NoSchedule")),
                        List.of(taint("dedicated", "user1", "NoSchedule")), Code.SUCCESS, null),
                Arguments.of("toleration with another value", List.of(toleration("dedicated", "Equal", "user2", "NoSchedule")),
                        List.of(taint("dedicated", "user1", "NoSchedule")), Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
                        "node(s) had untolerated taint {dedicated: user1}"),
                Arguments.of("Exists toleration", List.of(toleration("foo", "Exists", null, "NoSchedule")),
                        List.of(taint("foo", "bar", "NoSchedule")), Code.SUCCESS, null),
                Arguments.of("untolerated NoExecute taint, value empty", List.of(),
                        List.of(taint("gone", null, "NoExecute")), Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
                        "node(s) had untolerated taint {gone: }"),
                Arguments.of("PreferNoSchedule taints do not filter", List.of(),
                        List.of(taint("soft", "x", "PreferNoSchedule")), Code.SUCCESS, null),
                Arguments.of("the first of several untolerated taints is reported",
                        List.of(toleration("a", "Exists", null, null)),
                        List.of(taint("a", "1", "NoSchedule"), taint("b", "2", "NoSchedule"), taint("c", "3", "NoExecute")),
                        Code.UNSCHEDULABLE_AND_UNRESOLVABLE, "node(s) had untolerated taint {b: 2}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filterCases")
    void filter(String name, List<Toleration> tolerations, List<Taint> taints, Code code, String reason) {
        Status status = plugin.filter(new CycleState(), new PodInfo(pod(tolerations)), BasicFixtures.nodeInfo(node("n", taints)));
        assertThat(status.code()).isEqualTo(code);
        if (reason != null) {
            assertThat(status.reasons()).containsExactly(reason);
        }
    }

    /** Upstream's TestTaintTolerationScore cases. */
    static Stream<Arguments> scoreCases() {
        return Stream.of(
                Arguments.of("nodes whose taints the pod tolerates score higher",
                        List.of(toleration("foo", "Equal", "bar", "PreferNoSchedule")),
                        List.of(List.of(taint("foo", "bar", "PreferNoSchedule")), List.of(taint("foo", "blah", "PreferNoSchedule"))),
                        new long[] {100, 0}),
                Arguments.of("nodes whose taints are all tolerated score the same, however many",
                        List.of(toleration("cpu-type", "Equal", "arm64", "PreferNoSchedule"),
                                toleration("disk-type", "Equal", "ssd", "PreferNoSchedule")),
                        List.of(List.of(), List.of(taint("cpu-type", "arm64", "PreferNoSchedule")),
                                List.of(taint("cpu-type", "arm64", "PreferNoSchedule"), taint("disk-type", "ssd", "PreferNoSchedule"))),
                        new long[] {100, 100, 100}),
                Arguments.of("the more intolerable taints, the lower the score",
                        List.of(toleration("foo", "Equal", "bar", "PreferNoSchedule")),
                        List.of(List.of(), List.of(taint("cpu-type", "arm64", "PreferNoSchedule")),
                                List.of(taint("cpu-type", "arm64", "PreferNoSchedule"), taint("disk-type", "ssd", "PreferNoSchedule"))),
                        new long[] {100, 50, 0}),
                Arguments.of("only PreferNoSchedule taints and tolerations count",
                        List.of(toleration("cpu-type", "Equal", "arm64", "NoSchedule"),
                                toleration("disk-type", "Equal", "ssd", "NoSchedule")),
                        List.of(List.of(), List.of(taint("cpu-type", "arm64", "NoSchedule")),
                                List.of(taint("cpu-type", "arm64", "PreferNoSchedule"), taint("disk-type", "ssd", "PreferNoSchedule"))),
                        new long[] {100, 100, 0}),
                Arguments.of("no taints and no tolerations",
                        List.of(),
                        List.of(List.of(), List.of(taint("cpu-type", "arm64", "PreferNoSchedule"))),
                        new long[] {100, 0}),
                Arguments.of("a toleration with no effect tolerates PreferNoSchedule taints",
                        List.of(toleration("foo", "Exists", null, null)),
                        List.of(List.of(taint("foo", "x", "PreferNoSchedule")), List.of(taint("bar", "x", "PreferNoSchedule"))),
                        new long[] {100, 0}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scoreCases")
    void score(String name, List<Toleration> tolerations, List<List<Taint>> nodeTaints, long[] expected) {
        PodInfo pod = new PodInfo(pod(tolerations));
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 0; i < nodeTaints.size(); i++) {
            nodes.add(BasicFixtures.nodeInfo(node("n" + i, nodeTaints.get(i))));
        }
        CycleState state = new CycleState();
        assertThat(plugin.preScore(state, pod, nodes).isSuccess()).isTrue();
        long[] scores = new long[nodes.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = plugin.score(state, pod, nodes.get(i));
        }
        plugin.normalizeScores(state, pod, nodes, scores);
        assertThat(scores).containsExactly(expected);
    }

    static Stream<Arguments> nodeHints() {
        List<Taint> hard = List.of(taint("foo", "bar", "NoSchedule"));
        List<Taint> tolerated = List.of(taint("ok", "bar", "NoSchedule"));
        return Stream.of(
                Arguments.of("node added without untolerated taints", null, List.of(), QueueingHint.QUEUE),
                Arguments.of("node added with an untolerated taint", null, hard, QueueingHint.SKIP),
                Arguments.of("untolerated taint removed", hard, List.of(), QueueingHint.QUEUE),
                Arguments.of("untolerated taint replaced by a tolerated one", hard, tolerated, QueueingHint.QUEUE),
                Arguments.of("untolerated taint added", List.of(), hard, QueueingHint.SKIP),
                Arguments.of("tolerated before and after", tolerated, List.of(), QueueingHint.SKIP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeHints")
    void nodeHint(String name, List<Taint> before, List<Taint> after, QueueingHint expected) {
        PodInfo pod = new PodInfo(pod(List.of(toleration("ok", "Exists", null, null))));
        Node old = before == null ? null : node("n", before);
        assertThat(TaintToleration.isSchedulableAfterNodeChange(pod, old, node("n", after))).isEqualTo(expected);
    }

    static Stream<Arguments> podHints() {
        return Stream.of(
                Arguments.of("own tolerations changed", "p", QueueingHint.QUEUE),
                Arguments.of("another pod's tolerations changed", "q", QueueingHint.SKIP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("podHints")
    void podHint(String name, String updated, QueueingHint expected) {
        PodInfo pod = new PodInfo(pod(List.of()));
        Pod old = BasicFixtures.pod(updated).build();
        Pod now = BasicFixtures.pod(updated).editSpec().withTolerations(toleration("a", "Exists", null, null)).endSpec().build();
        assertThat(TaintToleration.isSchedulableAfterPodTolerationChange(pod, old, now)).isEqualTo(expected);
    }

    private static Pod pod(List<Toleration> tolerations) {
        return BasicFixtures.pod("p").editSpec().withTolerations(tolerations).endSpec().build();
    }

    private static Node node(String name, List<Taint> taints) {
        Node node = BasicFixtures.node(name);
        node.getSpec().setTaints(new ArrayList<>(taints));
        return node;
    }
}

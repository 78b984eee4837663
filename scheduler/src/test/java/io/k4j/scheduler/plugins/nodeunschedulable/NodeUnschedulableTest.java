package io.k4j.scheduler.plugins.nodeunschedulable;

import static io.k4j.scheduler.plugins.BasicFixtures.toleration;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Toleration;
import io.k4j.scheduler.framework.Code;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.EnqueueExtensions.QueueingHint;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.Status;
import io.k4j.scheduler.plugins.BasicFixtures;
import io.k4j.scheduler.testing.FakeHandle;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeUnschedulableTest {

    private static final String KEY = "node.kubernetes.io/unschedulable";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("schedulable node", null, List.of(), Code.SUCCESS),
                Arguments.of("unschedulable false", false, List.of(), Code.SUCCESS),
                Arguments.of("unschedulable node, no tolerations", true, List.of(), Code.UNSCHEDULABLE_AND_UNRESOLVABLE),
                Arguments.of("unschedulable node, tolerated with Exists", true,
                        List.of(toleration(KEY, "Exists", null, "NoSchedule")), Code.SUCCESS),
                Arguments.of("unschedulable node, tolerated by an all-matching toleration", true,
                        List.of(toleration(null, "Exists", null, null)), Code.SUCCESS),
                Arguments.of("unschedulable node, toleration for another effect", true,
                        List.of(toleration(KEY, "Exists", null, "NoExecute")), Code.UNSCHEDULABLE_AND_UNRESOLVABLE),
                Arguments.of("unschedulable node, toleration with a value", true,
                        List.of(toleration(KEY, "Equal", "x", "NoSchedule")), Code.UNSCHEDULABLE_AND_UNRESOLVABLE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void filter(String name, Boolean unschedulable, List<Toleration> tolerations, Code expected) {
        NodeUnschedulable plugin = new NodeUnschedulable(PluginArgs.NONE, new FakeHandle());
        Status status = plugin.filter(new CycleState(), new PodInfo(pod(tolerations)),
                BasicFixtures.nodeInfo(node(unschedulable)));
        assertThat(status.code()).isEqualTo(expected);
        if (expected != Code.SUCCESS) {
            assertThat(status.reasons()).containsExactly("node(s) were unschedulable");
        }
    }

    static Stream<Arguments> nodeHints() {
        return Stream.of(
                Arguments.of("schedulable node added", null, false, QueueingHint.QUEUE),
                Arguments.of("unschedulable node added", null, true, QueueingHint.SKIP),
                Arguments.of("node uncordoned", true, false, QueueingHint.QUEUE),
                Arguments.of("node cordoned", false, true, QueueingHint.SKIP),
                Arguments.of("schedulable node updated", false, false, QueueingHint.SKIP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeHints")
    void nodeHint(String name, Boolean before, boolean after, QueueingHint expected) {
        Node old = before == null ? null : node(before);
        assertThat(NodeUnschedulable.isSchedulableAfterNodeChange(new PodInfo(pod(List.of())), old, node(after)))
                .isEqualTo(expected);
    }

    static Stream<Arguments> podHints() {
        Toleration tolerates = toleration(KEY, "Exists", null, "NoSchedule");
        return Stream.of(
                Arguments.of("pod came to tolerate", "p", List.of(), List.of(tolerates), QueueingHint.QUEUE),
                Arguments.of("pod already tolerated", "p", List.of(tolerates), List.of(tolerates), QueueingHint.SKIP),
                Arguments.of("unrelated toleration added", "p", List.of(),
                        List.of(toleration("other", "Exists", null, null)), QueueingHint.SKIP),
                Arguments.of("another pod", "q", List.of(), List.of(tolerates), QueueingHint.SKIP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("podHints")
    void podHint(String name, String updated, List<Toleration> before, List<Toleration> after, QueueingHint expected) {
        Pod old = BasicFixtures.pod(updated).editSpec().withTolerations(before).endSpec().build();
        Pod now = BasicFixtures.pod(updated).editSpec().withTolerations(after).endSpec().build();
        assertThat(NodeUnschedulable.isSchedulableAfterPodTolerationChange(new PodInfo(pod(List.of())), old, now))
                .isEqualTo(expected);
    }

    private static Pod pod(List<Toleration> tolerations) {
        return BasicFixtures.pod("p").editSpec().withTolerations(tolerations).endSpec().build();
    }

    private static Node node(Boolean unschedulable) {
        Node node = BasicFixtures.node("n1");
        node.getSpec().setUnschedulable(unschedulable);
        return node;
    }
}

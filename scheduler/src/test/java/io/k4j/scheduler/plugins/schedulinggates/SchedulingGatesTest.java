package io.k4j.scheduler.plugins.schedulinggates;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSchedulingGate;
import io.k4j.scheduler.framework.ClusterEvent;
import io.k4j.scheduler.framework.Code;
import io.k4j.scheduler.framework.EnqueueExtensions.QueueingHint;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.Status;
import io.k4j.scheduler.plugins.BasicFixtures;
import io.k4j.scheduler.testing.FakeHandle;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SchedulingGatesTest {

    private final SchedulingGates plugin = new SchedulingGates(PluginArgs.NONE, new FakeHandle());

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("no gates", List.of(), Code.SUCCESS, ""),
                Arguments.of("one gate", List.of("foo"), Code.PENDING, "waiting for scheduling gates: [foo]"),
                Arguments.of("two gates", List.of("a", "b"), Code.PENDING, "waiting for scheduling gates: [a b]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void preEnqueue(String name, List<String> gates, Code code, String message) {
        Status status = plugin.preEnqueue(new PodInfo(gated("p", gates)));
        assertThat(status.code()).isEqualTo(code);
        assertThat(status.message()).isEqualTo(message);
    }

    static Stream<Arguments> hints() {
        return Stream.of(
                Arguments.of("the pod's own gates removed", "p", QueueingHint.QUEUE),
                Arguments.of("another pod's gates removed", "other", QueueingHint.SKIP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hints")
    void hint(String name, String updated, QueueingHint expected) {
        PodInfo pod = new PodInfo(gated("p", List.of("a")));
        Pod old = gated(updated, List.of("a"));
        Pod now = gated(updated, List.of());
        assertThat(SchedulingGates.isSchedulableAfterGatesEliminated(pod, old, now)).isEqualTo(expected);
    }

    @Test
    void registersGatesEliminated() {
        assertThat(plugin.eventsToRegister()).singleElement().satisfies(r -> assertThat(r.event()).isEqualTo(
                ClusterEvent.of(ClusterEvent.Resource.UNSCHEDULED_POD, ClusterEvent.Action.UPDATE_POD_SCHEDULING_GATES_ELIMINATED)));
    }

    private static Pod gated(String name, List<String> gates) {
        return BasicFixtures.pod(name).editSpec()
                .withSchedulingGates(gates.stream().map(PodSchedulingGate::new).toList()).endSpec().build();
    }
}

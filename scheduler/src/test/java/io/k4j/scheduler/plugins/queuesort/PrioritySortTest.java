package io.k4j.scheduler.plugins.queuesort;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.QueueSortPlugin.QueuedPod;
import io.k4j.scheduler.plugins.BasicFixtures;
import io.k4j.scheduler.testing.FakeHandle;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrioritySortTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = T0.plusSeconds(1);

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("higher priority first", 100, T1, 50, T0, true),
                Arguments.of("lower priority later", 50, T0, 100, T1, false),
                Arguments.of("same priority, earlier enqueue first", 10, T0, 10, T1, true),
                Arguments.of("same priority, later enqueue later", 10, T1, 10, T0, false),
                Arguments.of("same priority and time: not less", 10, T0, 10, T0, false),
                Arguments.of("no priority counts as 0", null, T0, -1, T1, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void less(String name, Integer p1, Instant t1, Integer p2, Instant t2, boolean expected) {
        PrioritySort sort = new PrioritySort(PluginArgs.NONE, new FakeHandle());
        QueuedPod a = new QueuedPod(pod("a", p1), T0, t1);
        QueuedPod b = new QueuedPod(pod("b", p2), T0, t2);
        assertThat(sort.less(a, b)).isEqualTo(expected);
        assertThat(sort.name()).isEqualTo("PrioritySort");
    }

    private static PodInfo pod(String name, Integer priority) {
        return new PodInfo(BasicFixtures.pod(name).editSpec().withPriority(priority).endSpec().build());
    }
}

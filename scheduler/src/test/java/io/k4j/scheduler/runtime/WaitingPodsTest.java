package io.k4j.scheduler.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.scheduler.framework.Code;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.Status;
import io.k4j.scheduler.testing.TestPods;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WaitingPodsTest {

    private final WaitingPods waiting = new WaitingPods();
    private final PodInfo pod = TestPods.info("gang-member", 0, "1");

    @Test
    void aPodThatNeverWaitedGoesOnAtOnce() {
        assertThat(waiting.await(pod)).isEqualTo(Status.success());
    }

    @Test
    void aPodGoesOnOnlyWhenEveryWaitingPluginAllowsIt() {
        waiting.park(pod, "n1", List.of("Gang", "Quota"), Duration.ofMinutes(1));
        waiting.allow(pod.uid(), "Gang");
        assertThat(waiting.waiting()).containsExactly(pod.uid());
        waiting.allow(pod.uid(), "Quota");
        assertThat(waiting.await(pod).isSuccess()).isTrue();
        assertThat(waiting.waiting()).isEmpty();
    }

    @Test
    void oneRejectionIsEnough() {
        waiting.park(pod, "n1", List.of("Gang"), Duration.ofMinutes(1));
        waiting.reject(pod.uid(), "Gang", "the gang is incomplete");
        Status status = waiting.await(pod);
        assertThat(status.code()).isEqualTo(Code.UNSCHEDULABLE);
        assertThat(status.plugin()).isEqualTo("Gang");
        assertThat(status.message()).isEqualTo("the gang is incomplete");
    }

    @Test
    void aPodNobodyAnswersIsRejectedWhenItsTimeoutEnds() {
        waiting.park(pod, "n1", List.of("Gang"), Duration.ZERO);
        Status status = waiting.await(pod);
        assertThat(status.code()).isEqualTo(Code.UNSCHEDULABLE);
        assertThat(status.message()).startsWith("rejected due to timeout after waiting PT0S at plugin Gang");
    }
}

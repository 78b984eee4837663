package io.k4j.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContainerTimelineTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private static ContainerTimeline timeline(String exitAfter, int code, String policy) {
        return new ContainerTimeline(START, new PodScript(Optional.ofNullable(exitAfter).map(GoDurations::parse),
                code, policy));
    }

    private static Instant at(String offset) {
        return START.plus(GoDurations.parse(offset));
    }

    @Test
    void withoutExitAfterContainersRunForever() {
        ContainerTimeline timeline = timeline(null, 0, "Always");
        assertThat(timeline.stateAt(at("1000h"))).isEqualTo(new ContainerState.Running(0, START, null));
        assertThat(timeline.nextChangeAfter(at("1h"))).isEmpty();
    }

    @Test
    void neverExitingZeroSucceedsAndStaysDone() {
        ContainerTimeline timeline = timeline("3s", 0, "Never");
        assertThat(timeline.stateAt(at("2999ms"))).isInstanceOf(ContainerState.Running.class);
        assertThat(timeline.nextChangeAfter(at("1s"))).contains(at("3s"));
        ContainerState.Exit exit = new ContainerState.Exit(START, at("3s"), 0);
        assertThat(timeline.stateAt(at("3s"))).isEqualTo(new ContainerState.Finished(0, exit, null));
        assertThat(timeline.stateAt(at("10h"))).isEqualTo(new ContainerState.Finished(0, exit, null));
        assertThat(timeline.nextChangeAfter(at("3s"))).isEmpty();
        assertThat(exit.reason()).isEqualTo("Completed");
    }

    @Test
    void neverExitingNonZeroFails() {
        ContainerState state = timeline("1s", 1, "Never").stateAt(at("2s"));
        assertThat(state).isInstanceOf(ContainerState.Finished.class);
        assertThat(((ContainerState.Finished) state).exit().exitCode()).isEqualTo(1);
        assertThat(((ContainerState.Finished) state).exit().reason()).isEqualTo("Error");
    }

    @Test
    void onFailureSucceedsOnZeroAndRestartsOnNonZero() {
        assertThat(timeline("1s", 0, "OnFailure").stateAt(at("5s"))).isInstanceOf(ContainerState.Finished.class);
        assertThat(timeline("1s", 2, "OnFailure").stateAt(at("5s"))).isInstanceOf(ContainerState.BackingOff.class);
    }

    @Test
    void alwaysRestartsEvenAfterSuccessWithDoublingBackoff() {
        ContainerTimeline timeline = timeline("1s", 0, "Always");
        ContainerState.Exit first = new ContainerState.Exit(START, at("1s"), 0);
        // exit at 1s, back off 10s, run 11s..12s, back off 20s, run 32s..33s, back off 40s, run 73s..
        assertThat(timeline.stateAt(at("1s"))).isEqualTo(new ContainerState.BackingOff(0, first, at("11s")));
        assertThat(timeline.nextChangeAfter(at("5s"))).contains(at("11s"));
        assertThat(timeline.stateAt(at("11s"))).isEqualTo(new ContainerState.Running(1, at("11s"), first));
        ContainerState.Exit second = new ContainerState.Exit(at("11s"), at("12s"), 0);
        assertThat(timeline.stateAt(at("12s"))).isEqualTo(new ContainerState.BackingOff(1, second, at("32s")));
        assertThat(timeline.stateAt(at("32s"))).isEqualTo(new ContainerState.Running(2, at("32s"), second));
        assertThat(timeline.stateAt(at("33s"))).isEqualTo(new ContainerState.BackingOff(2,
                new ContainerState.Exit(at("32s"), at("33s"), 0), at("73s")));
    }

    @Test
    void backoffIsCappedAtFiveMinutesAndLongLoopsAreCountedExactly() {
        assertThat(CrashLoopBackoff.after(0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(CrashLoopBackoff.after(4)).isEqualTo(Duration.ofSeconds(160));
        assertThat(CrashLoopBackoff.after(5)).isEqualTo(Duration.ofMinutes(5));
        assertThat(CrashLoopBackoff.after(40)).isEqualTo(Duration.ofMinutes(5));
        ContainerTimeline timeline = timeline("1s", 1, "Always");
        // Walk the timeline one change at a time, then compare a far point with the jump the timeline takes.
        Instant now = START;
        for (int change = 0; change < 200; change++) {
            now = timeline.nextChangeAfter(now).orElseThrow();
        }
        ContainerState walked = timeline.stateAt(now);
        assertThat(walked).isInstanceOf(ContainerState.Running.class);
        assertThat(walked.restartCount()).isEqualTo(100);
        assertThat(timeline.stateAt(now.plusMillis(500))).isEqualTo(walked);
        ContainerState.Running running = (ContainerState.Running) walked;
        assertThat(running.lastExit()).isEqualTo(new ContainerState.Exit(running.startedAt().minusSeconds(301),
                running.startedAt().minusSeconds(300), 1));
    }
}

package io.k4j.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PodStatusRendererTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Pod POD = new PodBuilder()
            .withNewMetadata().withName("p").withNamespace("ns").withUid("uid-1").endMetadata()
            .withNewSpec().addNewInitContainer().withName("init").withImage("busybox").endInitContainer()
            .addNewContainer().withName("main").withImage("nginx").endContainer().endSpec()
            .build();

    private static PodStatus render(ContainerState state) {
        return PodStatusRenderer.render(POD, state, START, "172.16.0.1", "10.42.0.2");
    }

    private static String conditions(PodStatus status) {
        return status.getConditions().stream().map(condition -> condition.getType() + "=" + condition.getStatus())
                .collect(Collectors.joining(","));
    }

    @Test
    void aRunningPodIsReadyWithItsIpsAndInitContainersCompleted() {
        PodStatus status = render(new ContainerState.Running(0, START, null));
        assertThat(status.getPhase()).isEqualTo("Running");
        assertThat(conditions(status)).isEqualTo("PodScheduled=True,Initialized=True,ContainersReady=True,Ready=True");
        assertThat(status.getPodIP()).isEqualTo("10.42.0.2");
        assertThat(status.getPodIPs().get(0).getIp()).isEqualTo("10.42.0.2");
        assertThat(status.getHostIP()).isEqualTo("172.16.0.1");
        assertThat(status.getStartTime()).isEqualTo("2026-01-01T00:00:00Z");
        var main = status.getContainerStatuses().get(0);
        assertThat(main.getReady()).isTrue();
        assertThat(main.getStarted()).isTrue();
        assertThat(main.getContainerID()).startsWith("simulated://");
        assertThat(main.getState().getRunning().getStartedAt()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(status.getInitContainerStatuses().get(0).getState().getTerminated().getReason())
                .isEqualTo("Completed");
    }

    @Test
    void aBackingOffPodIsNotReadyAndShowsItsLastExit() {
        ContainerState.Exit exit = new ContainerState.Exit(START, START.plusSeconds(1), 2);
        PodStatus status = render(new ContainerState.BackingOff(0, exit, START.plusSeconds(11)));
        assertThat(status.getPhase()).isEqualTo("Running");
        assertThat(conditions(status)).isEqualTo(
                "PodScheduled=True,Initialized=True,ContainersReady=False,Ready=False");
        var main = status.getContainerStatuses().get(0);
        assertThat(main.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(main.getState().getWaiting().getMessage()).startsWith("back-off 10s restarting failed container=main");
        assertThat(main.getLastState().getTerminated().getExitCode()).isEqualTo(2);
        assertThat(main.getLastState().getTerminated().getReason()).isEqualTo("Error");
    }

    @Test
    void aRestartedContainerCountsItAndGetsANewId() {
        ContainerState.Exit exit = new ContainerState.Exit(START, START.plusSeconds(1), 0);
        var first = render(new ContainerState.Running(0, START, null)).getContainerStatuses().get(0);
        var second = render(new ContainerState.Running(1, START.plusSeconds(11), exit)).getContainerStatuses().get(0);
        assertThat(second.getRestartCount()).isEqualTo(1);
        assertThat(second.getLastState().getTerminated().getContainerID()).isEqualTo(first.getContainerID());
        assertThat(second.getContainerID()).isNotEqualTo(first.getContainerID());
    }

    @Test
    void finishedPodsSucceedOrFailByExitCode() {
        ContainerState.Exit ok = new ContainerState.Exit(START, START.plusSeconds(3), 0);
        PodStatus succeeded = render(new ContainerState.Finished(0, ok, null));
        assertThat(succeeded.getPhase()).isEqualTo("Succeeded");
        assertThat(succeeded.getConditions()).filteredOn(c -> c.getType().equals("Ready"))
                .extracting(PodCondition::getReason).containsExactly("PodCompleted");
        var terminated = succeeded.getContainerStatuses().get(0).getState().getTerminated();
        assertThat(terminated.getExitCode()).isZero();
        assertThat(terminated.getReason()).isEqualTo("Completed");
        assertThat(terminated.getFinishedAt()).isEqualTo("2026-01-01T00:00:03Z");
        ContainerState.Exit bad = new ContainerState.Exit(START, START.plusSeconds(3), 1);
        assertThat(render(new ContainerState.Finished(0, bad, null)).getPhase()).isEqualTo("Failed");
    }

    @Test
    void theScriptComesFromAnnotationsAndTheRestartPolicy() {
        Pod scripted = new PodBuilder(POD).editMetadata()
                .addToAnnotations(PodScript.EXIT_AFTER, "1m30s").addToAnnotations(PodScript.EXIT_CODE, "3")
                .endMetadata().editSpec().withRestartPolicy("OnFailure").endSpec().build();
        PodScript script = PodScript.of(scripted);
        assertThat(script.exitAfter()).contains(java.time.Duration.ofSeconds(90));
        assertThat(script.exitCode()).isEqualTo(3);
        assertThat(script.restartsAfterExit()).isTrue();
        assertThat(PodScript.of(POD)).isEqualTo(new PodScript(Optional.empty(), 0, "Always"));
    }
}

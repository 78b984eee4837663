package io.k4j.simulation;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Writes what a kubelet would report for a pod whose containers are in a given {@link ContainerState}. */
final class PodStatusRenderer {

    private PodStatusRenderer() {
    }

    static PodStatus render(Pod pod, ContainerState state, Instant startTime, String hostIp, String podIp) {
        boolean ready = state instanceof ContainerState.Running;
        Instant readySince = switch (state) {
            case ContainerState.Running running -> running.startedAt();
            case ContainerState.BackingOff backingOff -> backingOff.exit().finishedAt();
            case ContainerState.Finished finished -> finished.exit().finishedAt();
        };
        String notReadyReason = state instanceof ContainerState.Finished ? "PodCompleted" : "ContainersNotReady";
        String time = Timestamps.time(startTime);
        return new PodStatusBuilder()
                .withPhase(phase(state))
                .withConditions(
                        condition("PodScheduled", true, time, null),
                        condition("Initialized", true, time, null),
                        condition("ContainersReady", ready, Timestamps.time(readySince), notReadyReason),
                        condition("Ready", ready, Timestamps.time(readySince), notReadyReason))
                .withHostIP(hostIp).withHostIPs(new HostIP(hostIp))
                .withPodIP(podIp).withPodIPs(new PodIP(podIp))
                .withStartTime(time)
                .withInitContainerStatuses(pod.getSpec().getInitContainers().stream()
                        .map(container -> initContainerStatus(pod, container, startTime)).toList())
                .withContainerStatuses(pod.getSpec().getContainers().stream()
                        .map(container -> containerStatus(pod, container, state)).toList())
                .build();
    }

    private static String phase(ContainerState state) {
        return switch (state) {
            case ContainerState.Finished finished -> finished.exit().exitCode() == 0 ? "Succeeded" : "Failed";
            default -> "Running";
        };
    }

    private static PodCondition condition(String type, boolean met, String since, String reasonIfNot) {
        return new PodConditionBuilder().withType(type).withStatus(met ? "True" : "False")
                .withLastTransitionTime(since).withReason(met ? null : reasonIfNot).build();
    }

    /** Init containers have all run to completion by the time the pod starts. */
    private static ContainerStatus initContainerStatus(Pod pod, Container container, Instant startTime) {
        ContainerState.Exit done = new ContainerState.Exit(startTime, startTime, 0);
        return base(container).withContainerID(containerId(pod, container, 0))
                .withReady(true).withStarted(false).withRestartCount(0)
                .withState(new ContainerStateBuilder().withTerminated(terminated(pod, container, done, 0)).build())
                .build();
    }

    private static ContainerStatus containerStatus(Pod pod, Container container, ContainerState state) {
        ContainerStatusBuilder status = base(container).withRestartCount(state.restartCount())
                .withContainerID(containerId(pod, container, state.restartCount()));
        if (state.lastExit() != null && !(state instanceof ContainerState.BackingOff)) {
            status.withNewLastState().withTerminated(
                    terminated(pod, container, state.lastExit(), state.restartCount() - 1)).endLastState();
        }
        return switch (state) {
            case ContainerState.Running running -> status.withReady(true).withStarted(true)
                    .withNewState().withNewRunning().withStartedAt(Timestamps.time(running.startedAt())).endRunning().endState().build();
            case ContainerState.BackingOff backingOff -> status.withReady(false).withStarted(false)
                    .withNewLastState().withTerminated(
                            terminated(pod, container, backingOff.exit(), backingOff.restartCount())).endLastState()
                    .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                    .withMessage("back-off " + seconds(CrashLoopBackoff.after(backingOff.restartCount()))
                            + " restarting failed container=" + container.getName() + " pod="
                            + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace()
                            + "(" + pod.getMetadata().getUid() + ")")
                    .endWaiting().endState().build();
            case ContainerState.Finished finished -> status.withReady(false).withStarted(false)
                    .withNewState().withTerminated(terminated(pod, container, finished.exit(),
                            finished.restartCount())).endState().build();
        };
    }

    private static ContainerStatusBuilder base(Container container) {
        return new ContainerStatusBuilder().withName(container.getName()).withImage(container.getImage())
                .withImageID(container.getImage());
    }

    private static io.fabric8.kubernetes.api.model.ContainerStateTerminated terminated(Pod pod, Container container,
            ContainerState.Exit exit, int run) {
        return new ContainerStateTerminatedBuilder().withExitCode(exit.exitCode()).withReason(exit.reason())
                .withStartedAt(Timestamps.time(exit.startedAt())).withFinishedAt(Timestamps.time(exit.finishedAt()))
                .withContainerID(containerId(pod, container, run)).build();
    }

    /** Stable for one run of one container, new for each restart, like a runtime's container IDs. */
    static String containerId(Pod pod, Container container, int run) {
        String name = pod.getMetadata().getUid() + "/" + container.getName() + "/" + run;
        return "simulated://" + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    }

    private static String seconds(Duration duration) {
        return duration.toMinutes() >= 1 && duration.toSecondsPart() == 0 ? duration.toMinutes() + "m0s"
                : duration.toSeconds() + "s";
    }

}

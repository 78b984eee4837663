package io.k4j.kubelet.pod;

import io.k4j.kubelet.runtime.ContainerStatus;
import io.k4j.kubelet.runtime.PodSandbox;
import io.k4j.kubelet.runtime.RuntimeLabels;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** One pod's sandboxes and containers as the runtime last listed them. */
public record PodRuntime(String uid, List<PodSandbox> sandboxes, List<ContainerStatus> containers) {

    public static PodRuntime empty(String uid) {
        return new PodRuntime(uid, List.of(), List.of());
    }

    /** The newest ready sandbox. */
    public Optional<PodSandbox> readySandbox() {
        return sandboxes.stream().filter(sandbox -> sandbox.state() == PodSandbox.State.READY)
                .max(Comparator.comparing(PodSandbox::createdAt));
    }

    /** Instances of one container, newest (highest attempt) first. */
    public List<ContainerStatus> instances(String containerName) {
        return containers.stream().filter(container -> containerName.equals(container.name()))
                .sorted(Comparator.comparingInt(ContainerStatus::attempt).reversed()
                        .thenComparing(ContainerStatus::createdAt, Comparator.reverseOrder()))
                .toList();
    }

    public Optional<ContainerStatus> latest(String containerName) {
        return instances(containerName).stream().findFirst();
    }

    public Optional<ContainerStatus> previous(String containerName) {
        return instances(containerName).stream().skip(1).findFirst();
    }

    public boolean anyRunning() {
        return containers.stream().anyMatch(container -> container.state() == ContainerStatus.State.RUNNING);
    }

    /** The restart count a container's latest instance carries (0 when it never ran). */
    public int restartCount(String containerName) {
        return latest(containerName).map(container -> {
            String count = container.annotations().get(RuntimeLabels.RESTART_COUNT);
            return count == null ? container.attempt() : Integer.parseInt(count);
        }).orElse(0);
    }
}

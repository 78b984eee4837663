package io.k4j.kubelet.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.k4j.kubelet.runtime.ContainerStatus;
import io.k4j.kubelet.runtime.PodSandbox;
import io.k4j.kubelet.server.PodContainers;
import java.nio.file.Path;
import java.util.Optional;

/** The streaming server's view of this node's pods: the pod workers' pods and the runtime's last list. */
public final class KubeletPods implements PodContainers {

    private final PodWorkers workers;

    public KubeletPods(PodWorkers workers) {
        this.workers = workers;
    }

    @Override
    public Optional<String> containerId(String namespace, String pod, String container) {
        return current(namespace, pod, container).map(ContainerStatus::id);
    }

    @Override
    public Optional<String> sandboxId(String namespace, String pod) {
        return runtimeOf(namespace, pod).flatMap(PodRuntime::readySandbox).map(PodSandbox::id);
    }

    @Override
    public Optional<Path> logPath(String namespace, String pod, String container, boolean previous) {
        Optional<PodRuntime> state = runtimeOf(namespace, pod);
        return (previous ? state.flatMap(s -> s.previous(container)) : state.flatMap(s -> s.latest(container)))
                .map(ContainerStatus::logPath);
    }

    @Override
    public boolean exited(String namespace, String pod, String container) {
        return current(namespace, pod, container).map(c -> c.state() == ContainerStatus.State.EXITED).orElse(true);
    }

    private Optional<ContainerStatus> current(String namespace, String pod, String container) {
        return runtimeOf(namespace, pod).flatMap(state -> state.latest(container));
    }

    private Optional<PodRuntime> runtimeOf(String namespace, String name) {
        Pod pod = workers.pod(namespace, name);
        return pod == null ? Optional.empty() : Optional.of(workers.runtimeOf(pod.getMetadata().getUid()));
    }
}

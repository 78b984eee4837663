package io.k4j.kubelet.server;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** One pod on this fake node, whose containers each log to {@code <dir>/<container>.log}. */
final class FakePodContainers implements PodContainers {

    private final String namespace;
    private final String pod;
    private final Set<String> containers;
    private final Path logDir;
    final Set<String> exited = ConcurrentHashMap.newKeySet();

    FakePodContainers(String namespace, String pod, Set<String> containers, Path logDir) {
        this.namespace = namespace;
        this.pod = pod;
        this.containers = containers;
        this.logDir = logDir;
    }

    private boolean ours(String podNamespace, String podName) {
        return namespace.equals(podNamespace) && pod.equals(podName);
    }

    @Override
    public Optional<String> containerId(String podNamespace, String podName, String container) {
        return ours(podNamespace, podName) && containers.contains(container) ? Optional.of("id-" + container)
                : Optional.empty();
    }

    @Override
    public Optional<String> sandboxId(String podNamespace, String podName) {
        return ours(podNamespace, podName) ? Optional.of("sandbox-" + podName) : Optional.empty();
    }

    @Override
    public Optional<Path> logPath(String podNamespace, String podName, String container, boolean previous) {
        if (!ours(podNamespace, podName) || !containers.contains(container)) {
            return Optional.empty();
        }
        return Optional.of(logDir.resolve(container + (previous ? ".previous" : "") + ".log"));
    }

    @Override
    public boolean exited(String podNamespace, String podName, String container) {
        return exited.contains(container);
    }
}

package io.k4j.kubelet.runtime;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes everything a runtime holds: every container killed and removed, every sandbox stopped (its network
 * released) and removed. Containers outlive the kubelet by design; this is for tearing a node down for good (the
 * end of a benchmark or test run), never for a kubelet restart.
 */
public final class RuntimeCleanup {

    private RuntimeCleanup() {
    }

    /** Returns the problems met; the rest is still removed. */
    public static List<String> removeAll(ContainerRuntime runtime) throws IOException {
        List<String> problems = new ArrayList<>();
        for (PodSandbox sandbox : runtime.listPodSandboxes()) {
            try {
                runtime.stopPodSandbox(sandbox.id());
                runtime.removePodSandbox(sandbox.id());
            } catch (IOException e) {
                problems.add("sandbox " + sandbox.id() + ": " + e.getMessage());
            }
        }
        for (ContainerStatus container : runtime.listContainers()) {
            try {
                runtime.stopContainer(container.id(), Duration.ZERO);
                runtime.removeContainer(container.id());
            } catch (IOException e) {
                problems.add("container " + container.id() + ": " + e.getMessage());
            }
        }
        return problems;
    }
}

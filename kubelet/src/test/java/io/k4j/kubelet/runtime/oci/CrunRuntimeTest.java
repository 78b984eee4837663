package io.k4j.kubelet.runtime.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k4j.kubelet.runtime.ContainerConfig;
import io.k4j.kubelet.runtime.ContainerStatus;
import io.k4j.kubelet.runtime.ExecResult;
import io.k4j.kubelet.runtime.PodSandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** crun through its wrapper, under conmon too: every call (create, start, exec, kill, delete) must get through. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CrunRuntimeTest {

    @Test
    void crunRunsExecsAndStopsAContainerWithItsMemoryLimit() throws Exception {
        try (OciTestNode node = OciTestNode.start(Path.of("/usr/bin/crun"))) {
            OciRuntime runtime = node.runtime;
            assertThat(runtime.name()).isEqualTo("crun");
            PodSandbox sandbox = runtime.runPodSandbox(node.sandbox("crun"));
            String id = runtime.createContainer(sandbox.id(), node.container("crun",
                    new ContainerConfig.Resources(0, 0, 0, 64L << 20), "sh", "-c",
                    "echo started; trap 'exit 4' TERM; while true; do sleep 0.1; done"));
            runtime.startContainer(id);

            ExecResult result = runtime.execSync(id, List.of("cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes"),
                    Duration.ofSeconds(10));
            assertThat(result.exitCode()).isZero();
            assertThat(new String(result.stdout(), StandardCharsets.UTF_8).strip()).isEqualTo(Long.toString(64L << 20));

            runtime.stopContainer(id, Duration.ofSeconds(10));
            ContainerStatus status = runtime.listContainers().getFirst();
            assertThat(status.state()).isEqualTo(ContainerStatus.State.EXITED);
            assertThat(status.exitCode()).isEqualTo(4);
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(status.logPath()).contains("started"));
            runtime.removePodSandbox(sandbox.id());
            assertThat(runtime.listContainers()).isEmpty();
        }
    }
}

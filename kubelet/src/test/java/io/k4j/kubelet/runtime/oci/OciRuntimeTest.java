package io.k4j.kubelet.runtime.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.k4j.kubelet.runtime.ContainerConfig;
import io.k4j.kubelet.runtime.ContainerStats;
import io.k4j.kubelet.runtime.ContainerStatus;
import io.k4j.kubelet.runtime.ExecResult;
import io.k4j.kubelet.runtime.PodSandbox;
import io.k4j.kubelet.runtime.PortConnection;
import io.k4j.kubelet.runtime.StreamSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real containers under runc and conmon, in a network namespace of the test's own. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OciRuntimeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static OciTestNode node;
    private static OciRuntime runtime;

    @BeforeAll
    static void startNode() throws IOException {
        node = OciTestNode.start();
        runtime = node.runtime;
    }

    @AfterAll
    static void stopNode() throws IOException {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void containersOfASandboxShareItsAddressAndLocalhost() throws Exception {
        PodSandbox sandbox = runtime.runPodSandbox(node.sandbox("web"));
        String prefix = node.podCidr.substring(0, node.podCidr.lastIndexOf('.') + 1);
        assertThat(sandbox.ips()).singleElement().asString().startsWith(prefix).isNotEqualTo(prefix + "1");
        assertThat(Files.readString(sandbox.hostsFile())).contains(sandbox.ips().getFirst() + "\tweb\n");

        String server = start(sandbox, node.container("server", "sh", "-c",
                "mkdir -p /www && echo hello-from-server > /www/index.html && httpd -f -p 127.0.0.1:8080 -h /www"));
        String client = start(sandbox, node.container("client", "sh", "-c",
                "until wget -q -O - http://127.0.0.1:8080/; do sleep 0.1; done; hostname; cat /etc/hostname"));

        ContainerStatus done = awaitExited(client);
        assertThat(done.exitCode()).isZero();
        assertThat(done.reason()).isEqualTo("Completed");
        assertThat(Files.readString(done.logPath())).contains("stdout F hello-from-server\n", "stdout F web\n");

        try (PortConnection connection = runtime.portForward(sandbox.id(), 8080)) {
            connection.output().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            connection.output().flush();
            assertThat(new String(connection.input().readAllBytes(), StandardCharsets.UTF_8))
                    .contains("hello-from-server");
        }
        assertThat(status(server).state()).isEqualTo(ContainerStatus.State.RUNNING);
        runtime.stopPodSandbox(sandbox.id());
        assertThat(status(server).state()).isEqualTo(ContainerStatus.State.EXITED);
        assertThat(runtime.listPodSandboxes()).filteredOn(s -> s.id().equals(sandbox.id()))
                .singleElement().extracting(PodSandbox::state).isEqualTo(PodSandbox.State.NOT_READY);
        runtime.removePodSandbox(sandbox.id());
    }

    @Test
    void exitCodeAndBothStreamsReachTheLog() throws Exception {
        PodSandbox sandbox = runtime.runPodSandbox(node.sandbox("exit"));
        String id = start(sandbox, node.container("exit", "sh", "-c", "echo out $GREETING; echo err >&2; exit 7"));

        ContainerStatus status = awaitExited(id);
        assertThat(status.exitCode()).isEqualTo(7);
        assertThat(status.reason()).isEqualTo("Error");
        assertThat(status.finishedAt()).isAfterOrEqualTo(status.startedAt());
        assertThat(status.labels()).containsEntry("io.kubernetes.container.name", "exit");
        assertThat(status.annotations()).containsEntry("io.kubernetes.container.hash", "abc");
        List<String> lines = Files.readAllLines(status.logPath());
        assertThat(lines).anyMatch(line -> line.matches("\\S+ stdout F out hello"))
                .anyMatch(line -> line.matches("\\S+ stderr F err"));
        runtime.removePodSandbox(sandbox.id());
    }

    @Test
    void stopKillsAContainerThatIgnoresSigtermOnceTheGracePeriodIsOver() throws Exception {
        PodSandbox sandbox = runtime.runPodSandbox(node.sandbox("stubborn"));
        String id = start(sandbox, node.container("stubborn", "sh", "-c",
                "trap '' TERM; echo ready; while true; do sleep 0.1; done"));
        await().atMost(WAIT).until(() -> Files.exists(status(id).logPath())
                && Files.readString(status(id).logPath()).contains("ready"));

        long started = System.nanoTime();
        runtime.stopContainer(id, Duration.ofSeconds(1));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(10));
        ContainerStatus status = status(id);
        assertThat(status.state()).isEqualTo(ContainerStatus.State.EXITED);
        assertThat(status.exitCode()).isEqualTo(137);
        runtime.removePodSandbox(sandbox.id());
    }

    @Test
    void aContainerOverItsMemoryLimitIsOomKilled() throws Exception {
        PodSandbox sandbox = runtime.runPodSandbox(node.sandbox("hog"));
        String id = start(sandbox, node.container("hog", new ContainerConfig.Resources(0, 0, 0, 16L << 20),
                "tail", "/dev/zero"));

        ContainerStatus status = awaitExited(id);
        assertThat(status.exitCode()).isEqualTo(137);
        assertThat(status.reason()).isEqualTo("OOMKilled");
        runtime.removePodSandbox(sandbox.id());
    }

    @Test
    void execRunsInTheContainerWithExactExitCodeAndOutput() throws Exception {
        PodSandbox sandbox = runtime.runPodSandbox(node.sandbox("exec"));
        String id = start(sandbox, node.container("exec", "sleep", "1000"));

        ExecResult result = runtime.execSync(id, List.of("sh", "-c", "echo hi $GREETING; echo oops >&2; exit 3"),
                Duration.ofSeconds(10));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(new String(result.stdout(), StandardCharsets.UTF_8)).isEqualTo("hi hello\n");
        assertThat(new String(result.stderr(), StandardCharsets.UTF_8)).isEqualTo("oops\n");

        ExecResult confined = runtime.execSync(id, List.of("unshare", "-U", "true"), Duration.ofSeconds(10));
        assertThat(confined.exitCode()).as("the default seccomp profile refuses unshare").isNotZero();
        assertThat(new String(confined.stderr(), StandardCharsets.UTF_8)).contains("Operation not permitted");

        ExecResult slow = runtime.execSync(id, List.of("sleep", "30"), Duration.ofMillis(300));
        assertThat(slow.timedOut()).isTrue();

        try (StreamSession session = runtime.exec(id, List.of("sh", "-c", "cat; exit 5"), false, true)) {
            session.stdin().write("echoed\n".getBytes(StandardCharsets.UTF_8));
            session.stdin().close();
            assertThat(new String(session.stdout().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("echoed\n");
            assertThat(session.waitFor()).isEqualTo(5);
        }
        try (StreamSession session = runtime.exec(id, List.of("sh", "-c", "tty; read x; stty size; exit 4"), true,
                true)) {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
                session.resize(91, 31);
                return session.stdout().available() > 0;
            });
            session.stdin().write("go\n".getBytes(StandardCharsets.UTF_8));
            session.stdin().flush();
            // stdin stays open until the end: its EOF would hang up the terminal under stty
            assertThat(new String(session.stdout().readAllBytes(), StandardCharsets.UTF_8))
                    .contains("/dev/pts/", "31 91");
            assertThat(session.waitFor()).isEqualTo(4);
        }
        ContainerStats stats = runtime.stats(id);
        assertThat(stats.cpuUsageNanos()).isPositive();
        assertThat(stats.memoryWorkingSetBytes()).isPositive().isLessThanOrEqualTo(stats.memoryUsageBytes());
        runtime.removePodSandbox(sandbox.id());
    }

    @Test
    void attachSendsStdinToTheContainerAndItsOutputBack() throws Exception {
        PodSandbox sandbox = runtime.runPodSandbox(node.sandbox("attach"));
        ContainerConfig config = withStdio(node.container("attach", "sh", "-c",
                "while read line; do echo got $line; done"), false, true, false);
        String id = start(sandbox, config);

        try (StreamSession session = runtime.attach(id, true, false)) {
            session.stdin().write("one\n".getBytes(StandardCharsets.UTF_8));
            session.stdin().flush();
            byte[] expected = "got one\n".getBytes(StandardCharsets.UTF_8);
            assertThat(session.stdout().readNBytes(expected.length)).isEqualTo(expected);
        }
        assertThat(status(id).state()).isEqualTo(ContainerStatus.State.RUNNING);
        runtime.removePodSandbox(sandbox.id());
    }

    @Test
    void aStdinOnceContainerWaitsForItsFirstAttachAndEndsWithThatAttachsStdin() throws Exception {
        PodSandbox sandbox = runtime.runPodSandbox(node.sandbox("once"));
        ContainerConfig config = withStdio(node.container("once", "sh", "-c", "while read l; do echo got $l; done"),
                false, true, true);
        String id = start(sandbox, config);
        // nobody attached yet: its stdin is open with nothing to read, so the loop waits
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> status(id).state() == ContainerStatus.State.RUNNING);

        try (StreamSession session = runtime.attach(id, true, false)) {
            session.stdin().write("one\n".getBytes(StandardCharsets.UTF_8));
            session.stdin().flush();
            byte[] expected = "got one\n".getBytes(StandardCharsets.UTF_8);
            assertThat(session.stdout().readNBytes(expected.length)).isEqualTo(expected);
            session.stdin().close();
            assertThat(awaitExited(id).exitCode()).isZero();
        }
        runtime.removePodSandbox(sandbox.id());
    }

    @Test
    void anAttachWithoutStdinLeavesAStdinOnceContainersStdinToTheFirstAttachWithIt() throws Exception {
        PodSandbox sandbox = runtime.runPodSandbox(node.sandbox("watch"));
        ContainerConfig config = withStdio(node.container("watch", "sh", "-c",
                "(while true; do echo tick; sleep 0.2; done) & while read l; do echo got $l; done"), false, true, true);
        String id = start(sandbox, config);
        try (StreamSession watcher = runtime.attach(id, false, false)) {
            assertThat(watcher.stdin()).isNull();
            assertThat(new String(watcher.stdout().readNBytes(5), StandardCharsets.UTF_8)).isEqualTo("tick\n");
        }
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> status(id).state() == ContainerStatus.State.RUNNING);

        try (StreamSession session = runtime.attach(id, true, false)) {
            session.stdin().close();
            assertThat(awaitExited(id).exitCode()).isZero();
        }
        runtime.removePodSandbox(sandbox.id());
    }

    @Test
    void withoutStdinAContainerReadsDevNullAndEndOfFileAtOnce() throws Exception {
        PodSandbox sandbox = runtime.runPodSandbox(node.sandbox("nostdin"));
        ContainerConfig config = node.container("nostdin", "sh", "-c", "readlink /proc/self/fd/0; cat; echo eof");
        String id = start(sandbox, config);

        assertThat(awaitExited(id).exitCode()).isZero();
        assertThat(Files.readString(config.logPath())).contains("stdout F /dev/null\n", "stdout F eof\n");
        runtime.removePodSandbox(sandbox.id());
    }

    @Test
    void attachToATerminalContainerResizesItsTerminal() throws Exception {
        PodSandbox sandbox = runtime.runPodSandbox(node.sandbox("tty"));
        ContainerConfig config = withStdio(node.container("tty", "sh"), true, true, false);
        String id = start(sandbox, config);

        try (StreamSession session = runtime.attach(id, true, true)) {
            assertThat(session.stderr()).isNull();
            session.resize(101, 41);
            session.stdin().write("stty size\n".getBytes(StandardCharsets.UTF_8));
            session.stdin().flush();
            StringBuilder seen = new StringBuilder();
            byte[] buffer = new byte[1024];
            while (!seen.toString().contains("41 101")) {
                int n = session.stdout().read(buffer);
                assertThat(n).as("terminal output so far: %s", seen).isPositive();
                seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        }
        runtime.removePodSandbox(sandbox.id());
    }

    @Test
    void reopeningTheLogStartsANewFileAtTheSamePath() throws Exception {
        PodSandbox sandbox = runtime.runPodSandbox(node.sandbox("rotate"));
        String id = start(sandbox, node.container("rotate", "sh", "-c", "while true; do echo tick; sleep 0.05; done"));
        Path log = status(id).logPath();
        await().atMost(WAIT).until(() -> Files.exists(log) && Files.size(log) > 0);

        Path rotated = log.resolveSibling(log.getFileName() + ".1");
        Files.move(log, rotated);
        runtime.reopenContainerLog(id);

        await().atMost(WAIT).until(() -> Files.exists(log) && Files.readString(log).contains("stdout F tick"));
        assertThat(Files.readString(rotated)).contains("stdout F tick");
        runtime.removePodSandbox(sandbox.id());
    }

    @Test
    void aPrivilegedContainerSeesTheNodesDevicesAndWritableSysfs() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/loop-control")), "the node has no /dev/loop-control");
        PodSandbox sandbox = runtime.runPodSandbox(node.sandbox("priv"));
        ContainerConfig base = node.container("priv", "sh", "-c",
                "test -c /dev/loop-control && grep ' /sys sysfs rw' /proc/mounts");
        ContainerConfig config = new ContainerConfig(base.name(), 0, base.imageId(), base.imageRef(),
                base.imageLayers(), base.argv(), base.env(), base.workingDir(), base.mounts(), false, false, false,
                base.user(), new ContainerConfig.Security(true, false, false, List.of(), List.of(), true),
                base.resources(), base.logPath(), base.labels(), base.annotations());
        String id = start(sandbox, config);

        ContainerStatus status = awaitExited(id);
        assertThat(status.exitCode()).as(Files.readString(status.logPath())).isZero();
        runtime.removePodSandbox(sandbox.id());
    }

    @Test
    void aHostNetworkSandboxHasNoNamespaceOrAddressOfItsOwn() throws Exception {
        var base = node.sandbox("host");
        PodSandbox sandbox = runtime.runPodSandbox(new io.k4j.kubelet.runtime.SandboxConfig(base.uid(),
                base.namespace(), base.name(), 0, base.hostname(), null, base.labels(), base.annotations(),
                List.of(), null, java.util.Map.of("10.9.9.9", List.of("alias.local")), null, true));
        assertThat(sandbox.ips()).isEmpty();
        assertThat(sandbox.netnsPath()).isNull();
        assertThat(Files.readString(sandbox.hostsFile())).contains("10.9.9.9\talias.local");

        String id = start(sandbox, node.container("host", "sh", "-c", "grep alias.local /etc/hosts && ip link"));
        ContainerStatus status = awaitExited(id);
        assertThat(status.exitCode()).isZero();
        assertThat(Files.readString(status.logPath())).doesNotContain("eth0");
        runtime.removePodSandbox(sandbox.id());
    }

    @Test
    void aNewRuntimeInstanceFindsRunningContainersAndLaterTheirExit() throws Exception {
        PodSandbox sandbox = runtime.runPodSandbox(node.sandbox("restart"));
        String id = start(sandbox, node.container("restart", "sh", "-c",
                "trap 'exit 9' TERM; while true; do sleep 0.1; done"));

        OciRuntime restarted = node.newRuntime();
        assertThat(restarted.listPodSandboxes()).extracting(PodSandbox::id).contains(sandbox.id());
        ContainerStatus running = restarted.listContainers().stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow();
        assertThat(running.state()).isEqualTo(ContainerStatus.State.RUNNING);
        assertThat(running.name()).isEqualTo("restart");
        assertThat(running.sandboxId()).isEqualTo(sandbox.id());

        restarted.stopContainer(id, Duration.ofSeconds(10));
        ContainerStatus exited = restarted.listContainers().stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow();
        assertThat(exited.state()).isEqualTo(ContainerStatus.State.EXITED);
        assertThat(exited.exitCode()).isEqualTo(9);
        assertThat(exited.finishedAt()).isNotNull();
        restarted.removePodSandbox(sandbox.id());
    }

    @Test
    void removingASandboxLeavesNoNamespaceMountCgroupOrAddress() throws Exception {
        PodSandbox sandbox = runtime.runPodSandbox(node.sandbox("gone"));
        String id = start(sandbox, node.container("gone", "sleep", "1000"));
        Path podCgroup = Path.of("/sys/fs/cgroup/memory" + node.cgroupRoot + "/pod-uid-gone-" + node.suffix);
        assertThat(podCgroup.resolve(id)).isDirectory();
        String ip = sandbox.ips().getFirst();
        assertThat(ipamFiles()).contains(ip);

        runtime.removePodSandbox(sandbox.id());

        assertThat(sandbox.netnsPath()).doesNotExist();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(id);
        assertThat(podCgroup).doesNotExist();
        assertThat(ipamFiles()).doesNotContain(ip);
        assertThat(runtime.listContainers()).extracting(ContainerStatus::id).doesNotContain(id);
        assertThat(runtime.listPodSandboxes()).extracting(PodSandbox::id).doesNotContain(sandbox.id());
        runtime.removePodSandbox(sandbox.id());
    }

    private static List<String> ipamFiles() throws IOException {
        Path ipam = node.dir.resolve("state/ipam");
        try (var files = Files.walk(ipam)) {
            return files.map(path -> path.getFileName().toString()).toList();
        }
    }

    private static ContainerConfig withStdio(ContainerConfig base, boolean tty, boolean stdin, boolean stdinOnce) {
        return new ContainerConfig(base.name(), 0, base.imageId(), base.imageRef(), base.imageLayers(), base.argv(),
                base.env(), base.workingDir(), base.mounts(), tty, stdin, stdinOnce, base.user(), base.security(),
                base.resources(), base.logPath(), base.labels(), base.annotations());
    }

    private static String start(PodSandbox sandbox, ContainerConfig config) throws IOException {
        String id = runtime.createContainer(sandbox.id(), config);
        assertThat(status(id).state()).isEqualTo(ContainerStatus.State.CREATED);
        runtime.startContainer(id);
        return id;
    }

    private static ContainerStatus status(String id) throws IOException {
        return runtime.listContainers().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    private static ContainerStatus awaitExited(String id) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> status(id), s -> s.state() == ContainerStatus.State.EXITED);
    }
}

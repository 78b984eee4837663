package io.k4j.kubelet.testing;

import io.k4j.kubelet.runtime.ContainerConfig;
import io.k4j.kubelet.runtime.ContainerRuntime;
import io.k4j.kubelet.runtime.ContainerStats;
import io.k4j.kubelet.runtime.ContainerStatus;
import io.k4j.kubelet.runtime.ExecResult;
import io.k4j.kubelet.runtime.PodSandbox;
import io.k4j.kubelet.runtime.PortConnection;
import io.k4j.kubelet.runtime.SandboxConfig;
import io.k4j.kubelet.runtime.StreamSession;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory runtime for the kubelet's own logic: sandboxes get addresses from 10.88.0.0/24, containers run until
 * stopped, except that an argv of {@code exit N} exits with N as soon as it starts. It outlives a kubelet, like a
 * real runtime's state, so restart adoption can be tested.
 */
public final class FakeRuntime implements ContainerRuntime {

    private final Map<String, PodSandbox> sandboxes = new LinkedHashMap<>();
    private final Map<String, ContainerStatus> containers = new LinkedHashMap<>();
    private final Map<String, ContainerConfig> configs = new LinkedHashMap<>();
    private final List<String> started = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private String podCidr;
    private int failingLists;

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public synchronized void updatePodCidr(String cidr) {
        this.podCidr = cidr;
    }

    public synchronized String podCidr() {
        return podCidr;
    }

    @Override
    public synchronized PodSandbox runPodSandbox(SandboxConfig config) {
        String id = "sandbox-" + ids.incrementAndGet();
        PodSandbox sandbox = new PodSandbox(id, config, PodSandbox.State.READY,
                List.of("10.88.0." + (sandboxes.size() + 2)), Path.of("/run/netns/" + id), null, null, null,
                Instant.now());
        sandboxes.put(id, sandbox);
        return sandbox;
    }

    @Override
    public synchronized void stopPodSandbox(String sandboxId) {
        for (ContainerStatus container : List.copyOf(containers.values())) {
            if (container.sandboxId().equals(sandboxId) && container.state() == ContainerStatus.State.RUNNING) {
                exit(container.id(), 137, "Error");
            }
        }
        PodSandbox sandbox = sandboxes.get(sandboxId);
        if (sandbox != null) {
            sandboxes.put(sandboxId, new PodSandbox(sandbox.id(), sandbox.config(), PodSandbox.State.NOT_READY,
                    sandbox.ips(), sandbox.netnsPath(), null, null, null, sandbox.createdAt()));
        }
    }

    @Override
    public synchronized void removePodSandbox(String sandboxId) {
        stopPodSandbox(sandboxId);
        sandboxes.remove(sandboxId);
        containers.values().removeIf(container -> container.sandboxId().equals(sandboxId));
    }

    @Override
    public synchronized List<PodSandbox> listPodSandboxes() {
        return List.copyOf(sandboxes.values());
    }

    @Override
    public synchronized String createContainer(String sandboxId, ContainerConfig config) throws IOException {
        if (!sandboxes.containsKey(sandboxId)) {
            throw new IOException("no sandbox " + sandboxId);
        }
        String id = "container-" + ids.incrementAndGet();
        configs.put(id, config);
        containers.put(id, new ContainerStatus(id, sandboxId, config.name(), config.attempt(),
                ContainerStatus.State.CREATED, Instant.now(), null, null, 0, null, null, config.imageId(),
                config.imageRef(), config.logPath(), config.labels(), config.annotations()));
        return id;
    }

    @Override
    public synchronized void startContainer(String containerId) {
        ContainerStatus created = containers.get(containerId);
        started.add(created.name());
        containers.put(containerId, with(created, ContainerStatus.State.RUNNING, Instant.now(), null, 0, null));
        List<String> argv = configs.get(containerId).argv();
        if (argv.size() == 2 && argv.get(0).equals("exit")) {
            int code = Integer.parseInt(argv.get(1));
            exit(containerId, code, code == 0 ? "Completed" : "Error");
        }
    }

    /** Makes a running container exit, as its process would. */
    public synchronized void exit(String containerId, int code, String reason) {
        ContainerStatus running = containers.get(containerId);
        containers.put(containerId, with(running, ContainerStatus.State.EXITED, running.startedAt(), Instant.now(),
                code, reason));
    }

    @Override
    public synchronized void stopContainer(String containerId, Duration gracePeriod) {
        ContainerStatus container = containers.get(containerId);
        if (container != null && container.state() == ContainerStatus.State.RUNNING) {
            exit(containerId, 137, "Error");
        }
    }

    @Override
    public synchronized void removeContainer(String containerId) {
        containers.remove(containerId);
    }

    @Override
    public synchronized List<ContainerStatus> listContainers() throws IOException {
        if (failingLists > 0) {
            failingLists--;
            throw new IOException("the runtime cannot be listed right now");
        }
        return List.copyOf(containers.values());
    }

    /** The next {@code count} container lists fail, as a real runtime's may while records are being removed. */
    public synchronized void failNextLists(int count) {
        failingLists = count;
    }

    /** Names of containers in the order they were started. */
    public synchronized List<String> started() {
        return List.copyOf(started);
    }

    public synchronized ContainerConfig config(String containerId) {
        return configs.get(containerId);
    }

    private static ContainerStatus with(ContainerStatus c, ContainerStatus.State state, Instant startedAt,
            Instant finishedAt, int exitCode, String reason) {
        return new ContainerStatus(c.id(), c.sandboxId(), c.name(), c.attempt(), state, c.createdAt(), startedAt,
                finishedAt, exitCode, reason, null, c.imageId(), c.imageRef(), c.logPath(), c.labels(),
                c.annotations());
    }

    @Override
    public ExecResult execSync(String containerId, List<String> command, Duration timeout) {
        return new ExecResult(0, new byte[0], new byte[0], false);
    }

    @Override
    public StreamSession exec(String containerId, List<String> command, boolean tty, boolean stdin) throws IOException {
        throw new IOException("the fake runtime does not exec");
    }

    @Override
    public StreamSession attach(String containerId, boolean stdin, boolean tty) throws IOException {
        throw new IOException("the fake runtime does not attach");
    }

    @Override
    public PortConnection portForward(String sandboxId, int port) throws IOException {
        throw new IOException("the fake runtime does not forward ports");
    }

    @Override
    public ContainerStats stats(String containerId) {
        return new ContainerStats(containerId, Instant.now(), 0, 0, 0);
    }

    @Override
    public void reopenContainerLog(String containerId) {
    }

    @Override
    public void close() {
    }
}

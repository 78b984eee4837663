package io.k4j.kubelet.runtime.oci;

import tools.jackson.databind.ObjectMapper;
import io.k4j.kubelet.network.NetworkNamespaces;
import io.k4j.kubelet.network.PodNetwork;
import io.k4j.kubelet.network.ProcessRunner;
import io.k4j.kubelet.runtime.ContainerConfig;
import io.k4j.kubelet.runtime.ContainerRuntime;
import io.k4j.kubelet.runtime.ContainerStats;
import io.k4j.kubelet.runtime.ContainerStatus;
import io.k4j.kubelet.runtime.ExecResult;
import io.k4j.kubelet.runtime.PodSandbox;
import io.k4j.kubelet.runtime.PortConnection;
import io.k4j.kubelet.runtime.RuntimeLabels;
import io.k4j.kubelet.runtime.SandboxConfig;
import io.k4j.kubelet.runtime.StreamSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Real containers: runc (or crun) under conmon, rootfs on overlayfs, pod networks through {@link PodNetwork}.
 * Everything it knows lives under the state directory, so a new instance (a restarted kubelet) carries on where the
 * last one stopped; containers keep running without it.
 */
public final class OciRuntime implements ContainerRuntime {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);
    /** How long a created container's init may take to answer a start through its fifo. */
    private static final Duration FIFO_START_TIMEOUT = Duration.ofSeconds(10);

    private final Path stateDir;
    private final Path runtimeRoot;
    private final OciBinary binary;
    private final PodNetwork network;
    private final String cgroupRoot;
    private final InstantSource clock;
    private final String clusterDomain;
    private final Path busybox;
    private final StateStore store;
    private final CgroupV1 cgroups;
    private final Conmon conmon;
    private final Path attachBridge;

    private OciRuntime(Builder builder) throws IOException {
        this.stateDir = Files.createDirectories(Objects.requireNonNull(builder.stateDir, "stateDir"));
        this.runtimeRoot = builder.runtimeRoot != null ? builder.runtimeRoot : stateDir.resolve("runtime");
        this.binary = builder.binary != null ? builder.binary : OciBinary.runc(Path.of("/usr/sbin/runc"));
        this.network = Objects.requireNonNull(builder.network, "network");
        this.cgroupRoot = builder.cgroupRoot;
        this.clock = builder.clock;
        this.clusterDomain = builder.clusterDomain;
        this.busybox = builder.busybox;
        this.store = new StateStore(stateDir);
        this.cgroups = CgroupV1.detect();
        this.conmon = new Conmon(builder.conmon, binary, runtimeRoot, stateDir.resolve("s"));
        this.attachBridge = AttachBridge.install(stateDir);
        Path cidr = stateDir.resolve("pod-cidr");
        if (Files.exists(cidr)) {
            network.updatePodCidr(Files.readString(cidr).strip());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Why real containers cannot run on this node, or empty when they can: the caller falls back to the simulated
     * runtime and says why.
     */
    public static List<String> unavailableReasons(Path ociBinary, Path conmon, Path cniPluginDir) {
        return Prerequisites.problems(ociBinary, conmon, cniPluginDir);
    }

    @Override
    public String name() {
        return binary.name();
    }

    @Override
    public void updatePodCidr(String cidr) throws IOException {
        network.updatePodCidr(cidr);
        Files.writeString(stateDir.resolve("pod-cidr"), cidr);
    }

    // ---- sandboxes

    @Override
    public PodSandbox runPodSandbox(SandboxConfig config) throws IOException {
        String id = newId();
        Path dir = Files.createDirectories(store.sandboxDir(id));
        String cgroupParent = config.cgroupParent() != null && !config.cgroupParent().isEmpty()
                ? config.cgroupParent() : cgroupRoot + "/pod-" + config.uid();
        Path netns = config.hostNetwork() ? network.nodeNetns() : null;
        SandboxRecord sandbox = new SandboxRecord(id, config, false, List.of(), Objects.toString(netns, null),
                dir.toString(), cgroupParent, clock.instant().toString());
        try {
            if (!config.hostNetwork()) {
                netns = NetworkNamespaces.create("k4j-" + id.substring(0, 16));
                sandbox = new SandboxRecord(id, config, false, List.of(), netns.toString(), dir.toString(),
                        cgroupParent, sandbox.createdAt());
                store.save(sandbox);
                List<String> ips = network.setUp(id, netns, portMappings(config));
                sandbox = new SandboxRecord(id, config, true, ips, netns.toString(), dir.toString(), cgroupParent,
                        sandbox.createdAt());
            } else {
                sandbox = new SandboxRecord(id, config, true, List.of(), sandbox.netnsPath(), dir.toString(),
                        cgroupParent, sandbox.createdAt());
            }
            PodFiles.write(sandbox, clusterDomain);
            store.save(sandbox);
            return sandbox.toSandbox();
        } catch (IOException | RuntimeException e) {
            store.save(sandbox.notReady());
            try {
                removePodSandbox(id);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    @Override
    public void stopPodSandbox(String sandboxId) throws IOException {
        SandboxRecord sandbox = store.findSandbox(sandboxId);
        if (sandbox == null) {
            return;
        }
        for (ContainerRecord container : containersOf(sandboxId)) {
            stopContainer(container.id(), Duration.ZERO);
        }
        if (!sandbox.config().hostNetwork() && sandbox.netns() != null) {
            if (Files.exists(sandbox.netns())) {
                network.tearDown(sandboxId, sandbox.netns(), portMappings(sandbox.config()));
            }
            NetworkNamespaces.delete(sandbox.netns());
        }
        store.save(sandbox.notReady());
    }

    @Override
    public void removePodSandbox(String sandboxId) throws IOException {
        SandboxRecord sandbox = store.findSandbox(sandboxId);
        if (sandbox == null) {
            return;
        }
        stopPodSandbox(sandboxId);
        for (ContainerRecord container : containersOf(sandboxId)) {
            removeContainer(container.id());
        }
        cgroups.removeTree(sandbox.cgroupParent());
        deleteTree(sandbox.dir());
    }

    @Override
    public List<PodSandbox> listPodSandboxes() throws IOException {
        return store.sandboxes().stream().map(SandboxRecord::toSandbox).toList();
    }

    @Override
    public List<PodSandbox> listPodSandboxes(String podUid) throws IOException {
        return store.sandboxes(sandbox -> podUid.equals(sandbox.config().uid())).stream()
                .map(SandboxRecord::toSandbox).toList();
    }

    // ---- containers

    @Override
    public String createContainer(String sandboxId, ContainerConfig config) throws IOException {
        SandboxRecord sandbox = store.sandbox(sandboxId);
        if (!sandbox.ready()) {
            throw new IOException("pod sandbox " + sandboxId + " is not ready");
        }
        if (config.imageLayers() == null || config.imageLayers().isEmpty()) {
            throw new IOException("container " + config.name() + " has no image layers");
        }
        String id = newId();
        Path dir = Files.createDirectories(store.containerDir(id));
        ContainerRecord container = new ContainerRecord(id, sandboxId, config, dir.toString(),
                sandbox.cgroupParent() + "/" + id, clock.instant().toString(), null, null, null, false);
        try {
            store.save(container);
            Overlay.mount(config.imageLayers(), dir);
            ImageUser user = ImageUser.resolve(config.user(), container.rootfs());
            OciSpec.Pod pod = new OciSpec.Pod(sandbox.hostsFile(), sandbox.resolvConf(), sandbox.hostnameFile(),
                    sandbox.netns(), sandbox.config().hostNetwork() ? null : sandbox.config().hostname());
            JSON.writeValue(dir.resolve("config.json").toFile(),
                    OciSpec.build(config, pod, container.rootfs(), container.cgroupPath(), user));
            conmon.create(container);
            return id;
        } catch (IOException | RuntimeException e) {
            try {
                removeContainer(id);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    @Override
    public void startContainer(String containerId) throws IOException {
        ContainerRecord container = store.container(containerId);
        if (container.startedAt() != null) {
            throw new IOException("container " + containerId + " was already started");
        }
        // taken before the start: a short-lived container may have exited by the time it returns
        Instant startedAt = clock.instant();
        if (!startedThroughFifo(containerId)) {
            runtime("start", containerId);
        }
        store.save(container.started(startedAt.toString()));
    }

    @Override
    public void stopContainer(String containerId, Duration gracePeriod) throws IOException {
        ContainerRecord container = store.findContainer(containerId);
        if (container == null || exited(container)) {
            return;
        }
        if (!conmon.alive(container)) {
            return;
        }
        if (gracePeriod.isPositive()) {
            runtimeQuietly("kill", containerId, "TERM");
            if (awaitExit(container, gracePeriod)) {
                return;
            }
        }
        runtimeQuietly("kill", "--all", containerId, "KILL");
        if (!awaitExit(container, KILL_WAIT)) {
            throw new IOException("container " + containerId + " did not exit " + KILL_WAIT.toSeconds()
                    + "s after SIGKILL");
        }
    }

    @Override
    public void removeContainer(String containerId) throws IOException {
        ContainerRecord container = store.findContainer(containerId);
        Path dir = store.containerDir(containerId);
        if (container != null) {
            status(container);
            ProcessRunner.Result deleted = ProcessRunner.run(runtimeArgv("delete", "--force", containerId), Map.of(),
                    null, COMMAND_TIMEOUT);
            if (!deleted.ok() && !deleted.err().contains("does not exist") && !deleted.err().contains("not found")) {
                throw new IOException("cannot delete container " + containerId + ": " + RuntimeErrors.message(deleted.err()));
            }
            awaitConmonGone(container);
            conmon.forget(containerId);
            Files.deleteIfExists(stateDir.resolve("s").resolve(Conmon.socketName(containerId)));
        }
        Overlay.unmount(dir);
        deleteTree(dir);
    }

    @Override
    public List<ContainerStatus> listContainers() throws IOException {
        return statuses(store.containers());
    }

    @Override
    public List<ContainerStatus> listContainers(String podUid) throws IOException {
        return statuses(store.containers(container -> container.config().labels() != null
                && podUid.equals(container.config().labels().get(RuntimeLabels.POD_UID))));
    }

    private List<ContainerStatus> statuses(List<ContainerRecord> containers) throws IOException {
        List<ContainerStatus> result = new ArrayList<>();
        for (ContainerRecord container : containers) {
            try {
                result.add(status(container));
            } catch (IOException e) {
                // Removed while being listed (its exit was being recorded): it is simply not there any more.
                if (store.findContainer(container.id()) != null) {
                    throw e;
                }
            }
        }
        return result;
    }

    private ContainerStatus status(ContainerRecord container) throws IOException {
        container = recordExit(container);
        ContainerConfig config = container.config();
        ContainerStatus.State state;
        String reason = "";
        int exitCode = 0;
        if (container.finishedAt() != null) {
            state = ContainerStatus.State.EXITED;
            exitCode = container.exitCode();
            reason = container.oomKilled() ? "OOMKilled" : exitCode == 0 ? "Completed" : "Error";
        } else if (container.startedAt() == null) {
            state = ContainerStatus.State.CREATED;
        } else {
            state = conmon.alive(container) ? ContainerStatus.State.RUNNING : ContainerStatus.State.UNKNOWN;
        }
        return new ContainerStatus(container.id(), container.sandboxId(), config.name(), config.attempt(), state,
                Instant.parse(container.createdAt()), instant(container.startedAt()), instant(container.finishedAt()),
                exitCode, reason, "", config.imageId(), config.imageRef(), config.logPath(),
                config.labels() == null ? Map.of() : config.labels(),
                config.annotations() == null ? Map.of() : config.annotations());
    }

    /** Keeps the exit code, time and OOM kill once conmon has written the exit file, while the cgroup still tells. */
    private ContainerRecord recordExit(ContainerRecord container) throws IOException {
        if (container.finishedAt() != null || !Files.exists(container.exitFile())) {
            return container;
        }
        String code = Files.readString(container.exitFile()).strip();
        if (code.isEmpty()) {
            return container;
        }
        // conmon wrote the file as the container exited; never before its start (the node's clock may be another)
        Instant finishedAt = Files.getLastModifiedTime(container.exitFile()).toInstant();
        if (container.startedAt() != null && finishedAt.isBefore(Instant.parse(container.startedAt()))) {
            finishedAt = Instant.parse(container.startedAt());
        }
        ContainerRecord finished = container.finished(finishedAt.toString(), Integer.parseInt(code),
                cgroups.oomKilled(container.cgroupPath()));
        store.save(finished);
        return finished;
    }

    private boolean exited(ContainerRecord container) throws IOException {
        return recordExit(container).finishedAt() != null;
    }

    private boolean awaitExit(ContainerRecord container, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            if (exited(container)) {
                return true;
            }
            if (!conmon.alive(container)) {
                return exited(container);
            }
            sleep(Duration.ofMillis(10));
        } while (System.nanoTime() < deadline);
        return exited(container);
    }

    private void awaitConmonGone(ContainerRecord container) throws IOException {
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        while (conmon.alive(container) && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(10));
        }
    }

    // ---- streams

    @Override
    public ExecResult execSync(String containerId, List<String> command, Duration timeout) throws IOException {
        requireRunning(containerId);
        List<String> argv = runtimeArgv("exec", containerId);
        argv.addAll(command);
        ProcessRunner.Result result = ProcessRunner.run(argv, Map.of(), null, timeout);
        return new ExecResult(result.exitCode(), result.stdout(), result.stderr(), result.timedOut());
    }

    @Override
    public StreamSession exec(String containerId, List<String> command, boolean tty, boolean stdin)
            throws IOException {
        requireRunning(containerId);
        List<String> argv = runtimeArgv("exec");
        if (tty) {
            argv.add("--tty");
        }
        argv.add(containerId);
        argv.addAll(command);
        if (tty) {
            // the runtime makes the container's terminal only when its own stdin is one: script gives it a pty
            String line = argv.stream().map(OciRuntime::shellQuote).collect(Collectors.joining(" "));
            argv = List.of("script", "-qfec", line, "/dev/null");
        }
        return new ProcessSession(new ProcessBuilder(argv).start(), stdin, tty);
    }

    @Override
    public StreamSession attach(String containerId, boolean stdin, boolean tty) throws IOException {
        ContainerRecord container = requireRunning(containerId);
        // conmon closes a stdinOnce container's stdin as any attach leaves; upstream only one with stdin does
        boolean linger = !stdin && container.config().stdin() && container.config().stdinOnce();
        Process bridge = new ProcessBuilder("perl", attachBridge.toString(),
                conmon.attachSocket(containerId).toString(), stdin ? "1" : "0", linger ? "1" : "0")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return new AttachSession(bridge, stdin, container.config().tty(), linger,
                (width, height) -> conmon.control(container, 1, height, width),
                () -> exitCodeOrZero(containerId));
    }

    private int exitCodeOrZero(String containerId) {
        try {
            ContainerRecord container = store.container(containerId);
            ContainerRecord finished = recordExit(container);
            return finished.exitCode() == null ? 0 : finished.exitCode();
        } catch (IOException gone) {
            return 0;
        }
    }

    @Override
    public PortConnection portForward(String sandboxId, int port) throws IOException {
        SandboxRecord sandbox = store.sandbox(sandboxId);
        if (!sandbox.ready()) {
            throw new IOException("pod sandbox " + sandboxId + " is not ready");
        }
        List<String> argv = new ArrayList<>(NetworkNamespaces.enter(sandbox.netns()));
        argv.addAll(List.of(busybox.toString(), "nc", "127.0.0.1", Integer.toString(port)));
        return new ProcessPortConnection(new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start());
    }

    @Override
    public ContainerStats stats(String containerId) throws IOException {
        ContainerRecord container = requireRunning(containerId);
        String cgroup = container.cgroupPath();
        return new ContainerStats(containerId, clock.instant(), cgroups.cpuUsageNanos(cgroup),
                cgroups.memoryUsageBytes(cgroup), cgroups.memoryWorkingSetBytes(cgroup));
    }

    @Override
    public void reopenContainerLog(String containerId) throws IOException {
        conmon.control(requireRunning(containerId), 2, 0, 0);
    }

    @Override
    public void close() {
        // nothing to release: conmon keeps every container, the state directory keeps everything else
    }

    // ---- helpers

    private ContainerRecord requireRunning(String containerId) throws IOException {
        ContainerRecord container = store.container(containerId);
        if (container.startedAt() == null || exited(container) || !conmon.alive(container)) {
            throw new IOException("container " + containerId + " is not running");
        }
        return container;
    }

    private List<ContainerRecord> containersOf(String sandboxId) throws IOException {
        return store.containers(container -> container.sandboxId().equals(sandboxId));
    }

    private static List<SandboxConfig.PortMapping> portMappings(SandboxConfig config) {
        if (config.portMappings() == null) {
            return List.of();
        }
        return config.portMappings().stream().filter(mapping -> mapping.hostPort() > 0).toList();
    }

    /** runc's start without a runc process (see {@link ExecFifo}); false for other runtimes or when it cannot. */
    private boolean startedThroughFifo(String containerId) throws IOException {
        return binary.name().equals("runc")
                && ExecFifo.start(runtimeRoot.resolve(containerId).resolve(ExecFifo.FILE_NAME), FIFO_START_TIMEOUT);
    }

    private List<String> runtimeArgv(String... args) {
        List<String> argv = new ArrayList<>(List.of(binary.executable().toString(), "--root=" + runtimeRoot));
        argv.addAll(List.of(args));
        return argv;
    }

    private void runtime(String... args) throws IOException {
        ProcessRunner.Result result = ProcessRunner.run(runtimeArgv(args), Map.of(), null, COMMAND_TIMEOUT);
        if (!result.ok()) {
            throw new IOException(binary.name() + " " + args[0] + " failed: "
                    + (result.timedOut() ? "timed out" : RuntimeErrors.message(result.err())));
        }
    }

    /** For signals to a container that may have exited meanwhile: the exit file decides what happened. */
    private void runtimeQuietly(String... args) throws IOException {
        ProcessRunner.run(runtimeArgv(args), Map.of(), null, COMMAND_TIMEOUT);
    }

    private static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }

    private static String shellQuote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static void sleep(Duration duration) throws IOException {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    public static final class Builder {
        private Path stateDir;
        private Path runtimeRoot;
        private OciBinary binary;
        private Path conmon = Path.of("/usr/bin/conmon");
        private PodNetwork network;
        private String cgroupRoot = "/k4j";
        private InstantSource clock = InstantSource.system();
        private String clusterDomain = "cluster.local";
        private Path busybox = Path.of("/bin/busybox");

        /** Where sandboxes and containers are kept, e.g. DATA_DIR/agent/containers. */
        public Builder stateDir(Path stateDir) {
            this.stateDir = stateDir;
            return this;
        }

        /** The OCI runtime's own state (--root); default STATE_DIR/runtime. */
        public Builder runtimeRoot(Path runtimeRoot) {
            this.runtimeRoot = runtimeRoot;
            return this;
        }

        /** Default {@code OciBinary.runc(/usr/sbin/runc)}. */
        public Builder binary(OciBinary binary) {
            this.binary = binary;
            return this;
        }

        public Builder conmon(Path conmon) {
            this.conmon = conmon;
            return this;
        }

        public Builder network(PodNetwork network) {
            this.network = network;
            return this;
        }

        /** Where pod cgroups go when the sandbox names none: ROOT/pod-UID; default /k4j. */
        public Builder cgroupRoot(String cgroupRoot) {
            this.cgroupRoot = cgroupRoot;
            return this;
        }

        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        public Builder clusterDomain(String clusterDomain) {
            this.clusterDomain = clusterDomain;
            return this;
        }

        /** The static busybox whose nc carries port-forwarded connections; default /bin/busybox. */
        public Builder busybox(Path busybox) {
            this.busybox = busybox;
            return this;
        }

        public OciRuntime build() throws IOException {
            return new OciRuntime(this);
        }
    }
}

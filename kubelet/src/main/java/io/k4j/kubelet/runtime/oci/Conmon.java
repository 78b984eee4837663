package io.k4j.kubelet.runtime.oci;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts conmon, the per-container monitor: it runs the OCI runtime's create, then stays with the container (its
 * parent exits at once, so it outlives us), writes its stdout and stderr to the CRI log, keeps the exit code in
 * {@code exits/ID}, and serves the attach socket and the ctl fifo. conmon reports the create's outcome as JSON on the
 * fd named by _OCI_SYNCPIPE; a plain file works for that, so no descriptor passing is needed.
 */
final class Conmon {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(60);

    private final Path conmon;
    private final OciBinary binary;
    private final Path runtimeRoot;
    private final Path socketDir;
    private final Map<String, ProcessHandle> monitors = new ConcurrentHashMap<>();

    Conmon(Path conmon, OciBinary binary, Path runtimeRoot, Path socketDir) {
        this.conmon = conmon;
        this.binary = binary;
        this.runtimeRoot = runtimeRoot;
        this.socketDir = socketDir;
    }

    /** The short id conmon names the attach socket's directory after (sun_path holds only 108 bytes). */
    static String socketName(String containerId) {
        return containerId.substring(0, 16);
    }

    Path attachSocket(String containerId) {
        return socketDir.resolve(socketName(containerId)).resolve("attach");
    }

    /** Creates the container under a new conmon; returns the container's init pid. */
    long create(ContainerRecord container) throws IOException {
        Path dir = container.dir();
        Path sync = dir.resolve("sync.json");
        Files.deleteIfExists(sync);
        Files.createDirectories(dir.resolve("exits"));
        Files.createDirectories(socketDir);
        Files.createDirectories(container.config().logPath().getParent());
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "exec \"$0\" \"$@\" 3>\"$K4J_SYNC_FILE\"",
                conmon.toString(), "--api-version", "1", "-c", container.id(), "-u", socketName(container.id()),
                "-n", container.config().name(), "-r", binary.executable().toString(), "-b", dir.toString(),
                "-p", dir.resolve("pidfile").toString(), "-P", container.conmonPidFile().toString(),
                "-l", "k8s-file:" + container.config().logPath(), "--exit-dir", dir.resolve("exits").toString(),
                "--socket-dir-path", socketDir.toString(), "--runtime-arg", "--root=" + runtimeRoot,
                "--log-level", "error"));
        if (container.config().tty()) {
            argv.add("-t");
        }
        if (container.config().stdin()) {
            argv.add("-i");
            if (!container.config().stdinOnce()) {
                argv.add("--leave-stdin-open");
            }
        }
        ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("conmon.out").toFile());
        builder.environment().put("_OCI_SYNCPIPE", "3");
        // conmon stamps log lines in local time with an offset: UTC keeps them "+00:00" on every node
        builder.environment().put("TZ", "UTC");
        builder.environment().put("K4J_SYNC_FILE", sync.toString());
        Process process = builder.start();
        try {
            if (!process.waitFor(CREATE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("conmon did not start within " + CREATE_TIMEOUT.toSeconds() + "s");
            }
            if (process.exitValue() != 0) {
                throw new IOException("conmon failed: " + Files.readString(dir.resolve("conmon.out")).strip());
            }
            return awaitSync(sync, container);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating container " + container.id(), e);
        }
    }

    private long awaitSync(Path sync, ContainerRecord container) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + CREATE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(sync) ? Files.readString(sync).strip() : "";
            if (!text.isEmpty() && text.endsWith("}")) {
                JsonNode reply = JSON.readTree(text.lines().findFirst().orElseThrow());
                long pid = reply.path("data").asLong(-1);
                if (pid <= 0) {
                    throw new IOException("creating the container failed: "
                            + RuntimeErrors.message(reply.path("message").asString("conmon reported " + text)));
                }
                return pid;
            }
            if (!alive(container) && Files.exists(container.conmonPidFile())) {
                throw new IOException("conmon exited while creating the container: "
                        + Files.readString(container.dir().resolve("conmon.out")).strip());
            }
            Thread.sleep(5);
        }
        throw new IOException("the container was not created within " + CREATE_TIMEOUT.toSeconds() + "s");
    }

    /**
     * Whether the container's conmon still runs. Its process handle is kept once known: the kubelet asks for every
     * container at each relist, and a handle also tells a reused pid from the original process.
     */
    boolean alive(ContainerRecord container) {
        ProcessHandle monitor = monitors.get(container.id());
        if (monitor == null) {
            monitor = readMonitor(container);
            if (monitor == null) {
                return false;
            }
            monitors.put(container.id(), monitor);
        }
        return monitor.isAlive();
    }

    /** The container is gone: its conmon is not asked about again. */
    void forget(String containerId) {
        monitors.remove(containerId);
    }

    private static ProcessHandle readMonitor(ContainerRecord container) {
        try {
            long pid = Long.parseLong(Files.readString(container.conmonPidFile()).strip());
            return ProcessHandle.of(pid).orElse(null);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** Writes one event to the container's ctl fifo; conmon reads "TYPE ARG1 ARG2" lines. */
    void control(ContainerRecord container, int type, int first, int second) throws IOException {
        if (!Files.exists(container.ctlFifo()) || !alive(container)) {
            throw new IOException("container " + container.id() + " is not running");
        }
        Files.writeString(container.ctlFifo(), type + " " + first + " " + second + "\n");
    }
}

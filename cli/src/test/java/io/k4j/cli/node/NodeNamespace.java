package io.k4j.cli.node;

import io.k4j.cli.RunningServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A network namespace of the test's own ({@code k4j-it-<random>}, with lo up) that stands in for a node, declared
 * with {@code @RegisterExtension static}: k4j servers, agents and other processes run inside it through
 * {@code nsenter --net=/run/netns/NAME} (not {@code ip netns exec}, which remounts /sys and hides the cgroup mounts
 * from runc), so nothing they set up touches the machine's own network. Skipped with the reason unless this is root
 * with runc, conmon, the CNI plugins, ip, nsenter and kubectl. Closing stops every process it started (by PID),
 * runs the cleanups registered with {@link #onClose}, deletes the namespace and the cgroups named after it
 * (/sys/fs/cgroup/CONTROLLER/NAME) and the temp dir.
 */
public final class NodeNamespace implements BeforeAllCallback, AfterAllCallback {

    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");
    private static final List<Path> CNI_BRIDGE = List.of(Path.of("/usr/lib/cni/bridge"), Path.of("/opt/cni/bin/bridge"));

    private final List<AutoCloseable> started = new ArrayList<>();
    private String name;
    private Path dir;
    private int agents;

    private NodeNamespace() {
    }

    public static NodeNamespace create() {
        return new NodeNamespace();
    }

    /** k4j-it-XXXXXXXX: also the cgroup parent name processes in this namespace should use. */
    public String name() {
        return name;
    }

    /** The test's temp dir; data dirs of what it starts are inside. */
    public Path dir() {
        return dir;
    }

    /** The command prefix that runs a program inside the namespace. */
    public List<String> wrapper() {
        return List.of("nsenter", "--net=/run/netns/" + name);
    }

    /** How RunningServer starts a k4j process inside the namespace (with this machine's node, for a server). */
    public RunningServer.Launch launch() {
        return new RunningServer.Launch(wrapper(), true);
    }

    /** {@code k4j server} with its node (data dir DIR/server), inside the namespace; stopped on close. */
    public RunningServer startServer(String readyLine, String... flags) throws IOException {
        return track(RunningServer.start(launch(), dir.resolve("server"), readyLine, flags));
    }

    /** Another {@code k4j server} with a data dir of its own (DIR/NAME). */
    public RunningServer startAnotherServer(String dataDirName, String readyLine, String... flags) throws IOException {
        return track(RunningServer.start(launch(), dir.resolve(dataDirName), readyLine, flags));
    }

    /** {@code k4j agent} (data dir DIR/agent-N), inside the namespace; stopped on close. */
    public RunningServer startAgent(String readyLine, String... flags) throws IOException {
        return track(RunningServer.startAgent(launch(), dir.resolve("agent-" + agents++), readyLine, flags));
    }

    /** Any program inside the namespace, its output to {@code log}; stopped (by PID) on close. */
    public Process start(Path log, String... command) throws IOException {
        List<String> full = new ArrayList<>(wrapper());
        full.addAll(List.of(command));
        Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        onClose(() -> stop(process));
        return process;
    }

    /** Runs a program inside the namespace to its end (30 s at most); returns its output, or fails with it. */
    public String run(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(wrapper());
        full.addAll(List.of(command));
        return exec(full);
    }

    /** A cleanup to run on close, before the namespace goes (runc containers, mounts the test made). */
    public void onClose(AutoCloseable cleanup) {
        started.add(cleanup);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        String test = context.getRequiredTestClass().getSimpleName();
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), test + " needs root (network namespaces, runc)");
        for (String tool : List.of("runc", "conmon", "ip", "nsenter", "kubectl")) {
            Assumptions.assumeTrue(onPath(tool), test + " needs " + tool + " on the PATH");
        }
        Assumptions.assumeTrue(CNI_BRIDGE.stream().anyMatch(Files::isExecutable),
                test + " needs the CNI plugins (no bridge in /usr/lib/cni or /opt/cni/bin)");
        name = "k4j-it-" + HexFormat.of().formatHex(SecureRandom.getSeed(4));
        dir = Files.createTempDirectory(name + "-");
        try {
            exec(List.of("ip", "netns", "add", name));
        } catch (IOException e) {
            Assumptions.abort(test + ": cannot create a network namespace: " + e.getMessage());
        }
        run("ip", "link", "set", "lo", "up");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        List<String> failures = new ArrayList<>();
        for (AutoCloseable cleanup : started.reversed()) {
            try {
                cleanup.close();
            } catch (Exception e) {
                failures.add(cleanup + ": " + e.getMessage());
            }
        }
        started.clear();
        if (name != null) {
            removeCgroups(failures);
            try {
                exec(List.of("ip", "netns", "delete", name));
            } catch (IOException e) {
                failures.add(e.getMessage());
            }
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(name + " was not cleaned up completely: " + failures);
        }
    }

    private <T extends AutoCloseable> T track(T closeable) {
        started.add(closeable);
        return closeable;
    }

    /** Every cgroup named after this namespace, in every hierarchy, deepest first (rmdir only takes empty ones). */
    private void removeCgroups(List<String> failures) throws IOException {
        if (!Files.isDirectory(CGROUPS)) {
            return;
        }
        List<Path> roots = new ArrayList<>();
        try (Stream<Path> hierarchies = Files.list(CGROUPS)) {
            hierarchies.map(hierarchy -> hierarchy.resolve(name)).filter(Files::isDirectory).forEach(roots::add);
        }
        if (Files.isDirectory(CGROUPS.resolve(name))) {
            roots.add(CGROUPS.resolve(name)); // a unified (v2) hierarchy
        }
        for (Path root : roots) {
            try (Stream<Path> cgroups = Files.walk(root)) {
                for (Path cgroup : cgroups.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                    try {
                        Files.delete(cgroup);
                    } catch (IOException e) {
                        failures.add("cgroup " + cgroup + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String exec(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + out.trim());
        }
        return out;
    }

    private static boolean onPath(String tool) {
        for (String entry : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin").split(":")) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, tool))) {
                return true;
            }
        }
        return false;
    }
}

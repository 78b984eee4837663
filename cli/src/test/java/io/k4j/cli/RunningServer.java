package io.k4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code k4j server} from the packaged jar, in its own JVM, for integration tests that drive it with kubectl and
 * the k4j CLI. Started with extra flags; closing it sends SIGTERM (and SIGKILL if it lingers) to that process only.
 */
public final class RunningServer implements AutoCloseable {

    /** What a command printed and how it ended. */
    public record Result(int exitCode, String out) {
        public Result assertOk() {
            assertThat(exitCode).as("exit code; output:\n%s", out).isZero();
            return this;
        }
    }

    private final Launch launch;
    private final Path dataDir;
    private final Process process;
    private final Path log;

    private RunningServer(Launch launch, Path dataDir, Process process, Path log) {
        this.launch = launch;
        this.dataDir = dataDir;
        this.process = process;
        this.log = log;
    }

    static Path jar() {
        return Path.of("target", "k4j.jar").toAbsolutePath();
    }

    static List<String> java(String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-jar", jar().toString()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * How a k4j process is started: inside {@code wrapper} (e.g. {@code nsenter --net=/run/netns/NAME}), and, for a
     * server, with this machine's node or without it ({@code --disable kubelet}: the default, so that tests counting
     * nodes see only theirs and nothing touches the machine's network).
     */
    public record Launch(List<String> wrapper, boolean kubelet) {
        public static final Launch DEFAULT = new Launch(List.of(), false);
    }

    /** Starts the server (without a node of its own) and waits until it printed that its last component started. */
    static RunningServer start(Path dataDir, String readyLine, String... flags) throws IOException {
        return start(Launch.DEFAULT, dataDir, readyLine, flags);
    }

    public static RunningServer start(Launch launch, Path dataDir, String readyLine, String... flags) throws IOException {
        List<String> args = new ArrayList<>(List.of("server", "--data-dir", dataDir.toString(), "--https-listen-port", "0"));
        if (!launch.kubelet()) {
            args.addAll(List.of("--disable", "kubelet,dns,servicelb,ingress"));
        }
        args.addAll(List.of(flags));
        return startProcess(launch, dataDir, readyLine, args);
    }

    /** Starts {@code k4j agent --data-dir DIR FLAGS...} and waits for {@code readyLine}. */
    public static RunningServer startAgent(Launch launch, Path dataDir, String readyLine, String... flags) throws IOException {
        List<String> args = new ArrayList<>(List.of("agent", "--data-dir", dataDir.toString()));
        args.addAll(List.of(flags));
        return startProcess(launch, dataDir, readyLine, args);
    }

    private static RunningServer startProcess(Launch launch, Path dataDir, String readyLine, List<String> args)
            throws IOException {
        Files.createDirectories(dataDir);
        Path log = dataDir.resolve(args.get(0) + ".out");
        List<String> command = new ArrayList<>(launch.wrapper());
        command.addAll(java(args.toArray(String[]::new)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        RunningServer server = new RunningServer(launch, dataDir, process, log);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        boolean ready = false;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.startsWith(readyLine)) {
                ready = true;
                break;
            }
        }
        Files.writeString(log, seen);
        if (!ready) {
            server.close();
            throw new IllegalStateException("k4j " + args.get(0) + " never printed \"" + readyLine + "\":\n" + seen);
        }
        Thread.ofVirtual().start(() -> drain(out, log));
        return server;
    }

    private static void drain(BufferedReader out, Path log) {
        try (var writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND)) {
            String line;
            while ((line = out.readLine()) != null) {
                writer.write(line);
                writer.newLine();
                writer.flush();
            }
        } catch (IOException ignored) {
            // the server stopped
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path kubeconfig() {
        return dataDir.resolve("kubeconfig.yaml");
    }

    /** Runs the real kubectl against this server. */
    public Result kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launch.wrapper());
        command.addAll(List.of("kubectl", "--kubeconfig", kubeconfig().toString()));
        command.addAll(List.of(args));
        return run(command, null);
    }

    /** kubectl with a manifest on stdin. */
    public Result kubectlApply(String manifest) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launch.wrapper());
        command.addAll(List.of("kubectl", "--kubeconfig", kubeconfig().toString(), "apply", "-f", "-"));
        return run(command, manifest);
    }

    /** kubectl with this text on its stdin (exec -i, attach -i). */
    public Result kubectlWithInput(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launch.wrapper());
        command.addAll(List.of("kubectl", "--kubeconfig", kubeconfig().toString()));
        command.addAll(List.of(args));
        return run(command, stdin);
    }

    /** Runs a k4j CLI command (a separate JVM from the jar) pointed at this server's kubeconfig. */
    public Result k4j(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launch.wrapper());
        command.addAll(java(args));
        command.addAll(List.of("--kubeconfig", kubeconfig().toString()));
        return run(command, null);
    }

    /** Runs a k4j CLI command (a separate JVM from the jar) as {@code launch} says, e.g. in a network namespace. */
    public static Result runIn(Launch launch, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launch.wrapper());
        command.addAll(java(args.toArray(String[]::new)));
        return run(command, null);
    }

    private static Result run(List<String> command, String stdin) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Result(process.exitValue(), out);
    }

    public static boolean kubectlOnPath() {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "kubectl"))) {
                return true;
            }
        }
        return false;
    }

    /** SIGTERM to this process only (by its PID), SIGKILL if it lingers. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String log() throws IOException {
        return Files.readString(log);
    }
}

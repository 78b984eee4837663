package io.k4j.apiserver.it;

import io.k4j.apiserver.server.ApiServer;
import io.k4j.store.sqlite.SqliteStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real API server on loopback, on a free port, with its own data dir and SQLite store, plus helpers to run the
 * real kubectl against it. Stop and start it again to test restarts: the port and data stay.
 */
public final class TestCluster implements AutoCloseable {

    /** What a kubectl run printed and how it ended. */
    public record Result(int exitCode, String out, String err) {
        public Result assertOk() {
            if (exitCode != 0) {
                throw new AssertionError("kubectl failed (" + exitCode + "): " + err + out);
            }
            return this;
        }
    }

    private final Path dir;
    private final int port;
    private SqliteStore store;
    private ApiServer server;

    private final int watchCacheEvents;

    private TestCluster(Path dir, int port, int watchCacheEvents) {
        this.dir = dir;
        this.port = port;
        this.watchCacheEvents = watchCacheEvents;
    }

    public static TestCluster start() throws Exception {
        return start(10_000);
    }

    /** A cluster whose watch cache keeps only this many events per resource. */
    public static TestCluster start(int watchCacheEvents) throws Exception {
        TestCluster cluster = new TestCluster(Files.createTempDirectory("k4j-it-"), freePort(), watchCacheEvents);
        cluster.startServer();
        return cluster;
    }

    /** The kubectl on PATH, if there is one. */
    public static Optional<Path> kubectlBinary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "kubectl");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public void startServer() throws Exception {
        store = SqliteStore.open(dir.resolve("db/state.db"));
        server = ApiServer.builder().dataDir(dir).store(store).listen("127.0.0.1", port).version("test")
                .watchCacheEvents(watchCacheEvents).start();
    }

    public void stopServer() {
        server.close();
        store.close();
    }

    public SqliteStore store() {
        return store;
    }

    public Path kubeconfig() {
        return server.kubeconfig();
    }

    public String url() {
        return server.url();
    }

    public Path dataDir() {
        return dir;
    }

    public String kubeconfigText() throws IOException {
        return Files.readString(kubeconfig(), StandardCharsets.UTF_8);
    }

    public Result kubectl(String... args) throws Exception {
        return kubectlWithInput(null, args);
    }

    /** Runs kubectl with the given standard input (for `-f -`). */
    public Result kubectlWithInput(String input, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("kubectl");
        command.add("--cache-dir=" + dir.resolve("kubectl-cache"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("KUBECONFIG", kubeconfig().toString());
        builder.environment().put("HOME", dir.toString());
        Process process = builder.start();
        if (input != null) {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        var out = process.getInputStream().readAllBytes();
        var err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish");
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    /** Starts a long-running kubectl (get -w) whose output the test reads as it comes. */
    public Process kubectlProcess(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("kubectl");
        command.add("--cache-dir=" + dir.resolve("kubectl-cache"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("KUBECONFIG", kubeconfig().toString());
        builder.environment().put("HOME", dir.toString());
        return builder.start();
    }

    @Override
    public void close() throws IOException {
        stopServer();
        io.k4j.store.internal.TempDirs.deleteRecursively(dir);
    }
}

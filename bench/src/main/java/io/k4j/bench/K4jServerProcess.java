package io.k4j.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code k4j server} as users run it, for benchmarks: its own JVM (this process's class path) on a fresh data dir
 * and SQLite store, so the benchmark's clients share neither its heap nor its garbage collector. Closing it stops
 * the server and deletes the data dir.
 */
public final class K4jServerProcess implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final Process process;

    private K4jServerProcess(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts a server with these extra flags and waits (up to a minute) until /readyz answers;
     * -Dk4j.bench.server.jvm="FLAGS" adds JVM flags.
     */
    public static K4jServerProcess start(String prefix, String... flags) throws Exception {
        return start(prefix, List.of(), flags);
    }

    /** As {@link #start(String, String...)}, with JVM flags for the server (before -Dk4j.bench.server.jvm's). */
    public static K4jServerProcess start(String prefix, List<String> jvmFlags, String... flags) throws Exception {
        Path dir = Files.createTempDirectory(prefix);
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> command = jvm("k4j.bench.server.jvm", jvmFlags.toArray(String[]::new));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.k4j.cli.K4j", "server", "--data-dir", dir.toString(), "--https-listen-port", Integer.toString(port),
                "--disable", "kubelet,dns,servicelb,ingress")); // benchmarks count only their own (simulated) nodes
        command.addAll(List.of(flags));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start();
        K4jServerProcess server = new K4jServerProcess(dir, port, process);
        try {
            server.awaitReady();
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return server;
    }

    public Path dataDir() {
        return dir;
    }

    public String url() {
        return "https://127.0.0.1:" + port;
    }

    public Path tlsDir() {
        return dir.resolve("server/tls");
    }

    public Path kubeconfig() {
        return dir.resolve("kubeconfig.yaml");
    }

    public String token() throws IOException {
        return Files.readString(dir.resolve("server/token")).trim();
    }

    public long pid() {
        return process.pid();
    }

    /** Polls /readyz as the admin; a server that exits or takes over a minute fails the run. */
    private void awaitReady() throws Exception {
        Path log = dir.resolve("server.log");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("k4j server exited with " + process.exitValue() + "; its log: " + log);
            }
            if (Files.exists(kubeconfig())) {
                try {
                    HttpResponse<String> response = HttpClient.newBuilder().sslContext(io.k4j.pki.ClientTls.context(
                            tlsDir().resolve("ca.crt"), tlsDir().resolve("admin.crt"), tlsDir().resolve("admin.key"))).build().send(
                            HttpRequest.newBuilder(URI.create(url() + "/readyz")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
            }
            Thread.sleep(100);
        }
        throw new IOException("k4j server was not ready within a minute; its log: " + log);
    }

    public static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /**
     * The start of a k4j process's command line: this JVM's java, {@code flags}, then the flags in the system property
     * {@code extraFlagsProperty} (a profiler, say).
     */
    public static List<String> jvm(String extraFlagsProperty, String... flags) {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(List.of(flags));
        command.addAll(flagsOf(extraFlagsProperty));
        return command;
    }

    private static List<String> flagsOf(String property) {
        String flags = System.getProperty(property, "").trim();
        return flags.isEmpty() ? List.of() : List.of(flags.split("\\s+"));
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        // Generous: a server recording an AOT cache writes it as it stops, which takes a while on two busy cores.
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        io.k4j.store.internal.TempDirs.deleteRecursively(dir);
    }
}

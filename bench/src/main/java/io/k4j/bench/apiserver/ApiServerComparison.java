package io.k4j.bench.apiserver;

import io.k4j.bench.Scenario;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Runs the same API benchmark against k4j (a {@code k4j server} child JVM, on a fresh SQLite store) and against fabric8's
 * kubernetes-server-mock in CRUD mode (in a child JVM, see the bench-peer module), one after the other.
 */
public final class ApiServerComparison {

    private ApiServerComparison() {
    }

    /**
     * @param targets       "k4j" and/or "mock"
     * @param peerClasspath class path of the bench-peer module (its jar and its lib folder)
     */
    public static List<Scenario> run(ApiServerBenchmark.Settings settings, List<String> targets, String peerClasspath)
            throws Exception {
        // Watchers share HTTP/2 connections; the JDK client allows only 100 streams per connection by default.
        System.setProperty("jdk.httpclient.maxstreams", "20000");
        if (!Wrk.available()) {
            throw new IllegalStateException("k4j bench apiserver needs wrk: apt-get install wrk");
        }
        List<Scenario> results = new ArrayList<>();
        for (String target : targets) {
            switch (target) {
                case "k4j" -> results.addAll(runK4j(settings));
                case "mock" -> results.addAll(runMock(settings, peerClasspath));
                default -> throw new IllegalArgumentException("unknown target " + target + "; use k4j or mock");
            }
        }
        return results;
    }

    /**
     * k4j runs as users run it: {@code k4j server} in its own JVM (this jar's class path) on a fresh data dir and
     * SQLite store, so that the benchmark's clients do not share its heap, garbage collector or JIT.
     */
    private static List<Scenario> runK4j(ApiServerBenchmark.Settings settings) throws Exception {
        Path dir = Files.createTempDirectory("k4j-bench-api-");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Process server = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), "io.k4j.cli.K4j",
                "server", "--data-dir", dir.toString(), "--https-listen-port", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        try {
            Path tls = dir.resolve("server/tls");
            Target target = awaitReady(server, () -> Target.k4j("https://127.0.0.1:" + port, tls,
                    Files.readString(dir.resolve("server/token")).trim(), server.pid()), dir.resolve("server.log"));
            return new ApiServerBenchmark(target, settings).runAll();
        } finally {
            stop(server);
            io.k4j.store.internal.TempDirs.deleteRecursively(dir);
        }
    }

    /** Polls /readyz until the server answers ok; a server that exits or takes over a minute fails the run. */
    private static Target awaitReady(Process server, Callable<Target> target, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IOException("k4j server exited with " + server.exitValue() + "; its log: " + log);
            }
            try {
                Target ready = target.call();
                HttpResponse<String> response = ready.client(HttpClient.Version.HTTP_1_1).send(HttpRequest.newBuilder(
                        URI.create(ready.url() + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return ready;
                }
            } catch (IOException notYet) {
                // certificates not written yet, or not listening yet
            }
            Thread.sleep(100);
        }
        throw new IOException("k4j server was not ready within a minute; its log: " + log);
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static List<Scenario> runMock(ApiServerBenchmark.Settings settings, String peerClasspath) throws Exception {
        Process peer = new ProcessBuilder(java(), "-Xmx2g", "-cp", peerClasspath, "io.k4j.benchpeer.MockApiServer")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String url = readUrl(peer);
            return new ApiServerBenchmark(Target.mock(url), settings).runAll();
        } finally {
            peer.getOutputStream().close();
            if (!peer.waitFor(10, TimeUnit.SECONDS)) {
                peer.destroyForcibly();
            }
        }
    }

    private static String readUrl(Process peer) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("URL ")) {
                return line.substring(4).trim();
            }
        }
        throw new IOException("the mock server exited without printing its URL (is bench-peer built?)");
    }
}

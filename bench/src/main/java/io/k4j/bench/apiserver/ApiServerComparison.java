package io.k4j.bench.apiserver;

import io.k4j.bench.K4jServerProcess;
import io.k4j.bench.Scenario;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
     * SQLite store, so that the benchmark's clients do not share its heap, garbage collector or JIT. The scheduler
     * and controller manager are off: the peers are bare API servers, and their informers would share the CPU.
     */
    private static List<Scenario> runK4j(ApiServerBenchmark.Settings settings) throws Exception {
        try (K4jServerProcess server = K4jServerProcess.start("k4j-bench-api-", "--disable", "scheduler,controller-manager")) {
            Target target = Target.k4j(server.url(), server.tlsDir(), server.token(), server.pid());
            return new ApiServerBenchmark(target, settings).runAll();
        }
    }

    private static List<Scenario> runMock(ApiServerBenchmark.Settings settings, String peerClasspath) throws Exception {
        Process peer = new ProcessBuilder(K4jServerProcess.java(), "-Xmx2g", "-cp", peerClasspath, "io.k4j.benchpeer.MockApiServer")
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

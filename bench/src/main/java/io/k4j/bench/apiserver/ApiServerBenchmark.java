package io.k4j.bench.apiserver;

import io.k4j.bench.Latencies;
import io.k4j.bench.Scenario;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The API load generator behind {@code k4j bench apiserver}: pod creates and gets from N concurrent connections
 * (driven by wrk), a LIST of many pods, and watch delivery to many watchers (JDK HTTP client), over HTTPS. Every request
 * goes to the one target it is given, on loopback; loops are bounded in count and time.
 */
public final class ApiServerBenchmark {

    /** What to run; see {@code k4j bench apiserver --help}. */
    public record Settings(Duration warmup, Duration duration, int clients, int listPods, int watchers,
                           int watchEvents, int watchEventsPerSecond, int idleWatches, Set<String> scenarios) {

        /** The scenarios, in the order they run. */
        public static final List<String> SCENARIOS = List.of("create", "get", "list", "watch", "idle");

        public Settings {
            scenarios = Set.copyOf(scenarios);
            if (!SCENARIOS.containsAll(scenarios)) {
                throw new IllegalArgumentException("unknown scenario in " + scenarios + "; known: " + SCENARIOS);
            }
        }
    }

    private final Target target;
    private final Settings settings;
    private final HttpClient h2;

    ApiServerBenchmark(Target target, Settings settings) {
        this.target = target;
        this.settings = settings;
        this.h2 = target.client(HttpClient.Version.HTTP_2);
    }

    public List<Scenario> runAll() throws Exception {
        List<Scenario> results = new ArrayList<>();
        for (String namespace : List.of("bench-crud", "bench-list", "bench-watch", "bench-idle")) {
            send(h2, request("/api/v1/namespaces").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
                            + "\"metadata\":{\"name\":\"" + namespace + "\"}}")));
        }
        warmUp();
        if (settings.scenarios().contains("create")) {
            Wrk.Report creates = Wrk.run(target.url(), settings.clients(), settings.duration(),
                    Wrk.createPods("bench-crud", "c", 0), environment());
            results.add(scenario("create pod, " + settings.clients() + " clients", creates));
        }
        if (settings.scenarios().contains("get")) {
            for (int i = 1; i <= GET_POOL; i++) {
                send(h2, createPod("bench-crud", "g-" + i, 0));
            }
            Wrk.Report gets = Wrk.run(target.url(), settings.clients(), settings.duration(),
                    Wrk.getPods("bench-crud", "g", GET_POOL), environment());
            results.add(scenario("get pod, " + settings.clients() + " clients", gets));
        }
        if (settings.scenarios().contains("list")) {
            results.add(list());
        }
        if (settings.scenarios().contains("watch")) {
            results.add(watch("bench-watch"));
        }
        if (settings.scenarios().contains("idle") && settings.idleWatches() > 0 && target.pid() > 0) {
            results.add(idleWatches());
        }
        return results;
    }

    private static final int GET_POOL = 200;
    private static final Duration WARMUP_ROUND = Duration.ofSeconds(10);

    /**
     * Creates, not measured: both servers run on the JVM and need their hot paths compiled (k4j also builds its
     * OpenAPI documents in the background just after it starts). On two cores the JIT compilers share them with the
     * load, so this takes most of a minute. It runs in rounds of new connections because closing and opening them
     * under load sends compiled TLS and Netty code back to the interpreter once (an uncommon trap), which after a
     * single long round cost the next measurement ten seconds of recompiling. Prints each round's rate.
     */
    private void warmUp() throws Exception {
        long rounds = Math.max(1, settings.warmup().toSeconds() / WARMUP_ROUND.toSeconds());
        List<String> rates = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            Wrk.Report report = Wrk.run(target.url(), settings.clients(), WARMUP_ROUND,
                    Wrk.createPods("bench-crud", "warm" + round, 0), environment());
            rates.add(String.format("%,.0f", report.requestsPerSecond()));
        }
        System.out.printf("%s: warm-up creates/s in %d s rounds: %s%n", target.name(), WARMUP_ROUND.toSeconds(),
                String.join(", ", rates));
    }

    private Map<String, String> environment() {
        return target.token() == null ? Map.of() : Map.of("TOKEN", target.token());
    }

    private Scenario scenario(String name, Wrk.Report report) {
        if (report.non2xx() > 0) {
            System.err.printf("%s: %s: %d of %d responses were errors%n", target.name(), name, report.non2xx(),
                    report.requests());
        }
        return new Scenario(target.name(), name, report.requestsPerSecond() * (report.requests() - report.non2xx())
                / Math.max(1, report.requests()), "req/s", report.p50Millis(), report.p99Millis(), report.requests());
    }

    private Scenario list() throws Exception {
        // wrk stops sending at the limit but runs out its duration, so load in short rounds until enough exist.
        int loaded = 0;
        for (int round = 0; loaded < settings.listPods() && round < 1000; round++) {
            Wrk.run(target.url(), settings.clients(), Duration.ofSeconds(2),
                    Wrk.createPods("bench-list", "l" + round, settings.listPods() - loaded), environment());
            loaded = countItems(send(h2, request("/api/v1/namespaces/bench-list/pods").GET()).body());
        }
        if (loaded != settings.listPods()) {
            System.err.printf("%s: LIST returns %d pods, %d were asked for%n", target.name(), loaded,
                    settings.listPods());
        }
        // One wrk connection LISTing back to back: the same lean client as for creates and gets, one LIST at a time.
        Wrk.Report lists = Wrk.run(target.url(), 1, settings.duration(), Wrk.get("/api/v1/namespaces/bench-list/pods"),
                environment());
        return new Scenario(target.name(), "LIST " + settings.listPods() + " pods", lists.requestsPerSecond(), "lists/s",
                lists.p50Millis(), lists.p99Millis(), lists.requests());
    }

    private static int countItems(String body) {
        int count = 0;
        int at = body.indexOf("\"items\"");
        while ((at = body.indexOf("\"kind\":\"Pod\"", at + 1)) >= 0) {
            count++;
        }
        return count;
    }

    /**
     * All watchers are streams of one HTTP/2 connection read by a lean Netty client ({@link LeanHttp2Client}), as client-go
     * multiplexes its watches; latency runs from just before the create to the client reading the event. A first round
     * of creates to the same watchers is not measured: it compiles the watch path, as the create warm-up does for
     * creates, and it is when the server's collector promotes the new watches' state, which with fresh watches puts
     * pauses of 40-75 ms into the measured round. What is measured is delivery to established watches.
     */
    private Scenario watch(String namespace) throws Exception {
        int watchers = settings.watchers();
        String name = "watch delivery, " + watchers + " watchers";
        try (LeanHttp2Client streams = LeanHttp2Client.open(target, "/api/v1/namespaces/" + namespace + "/pods?watch=true"
                + "&timeoutSeconds=300", watchers)) {
            if (!streams.awaitOpen(Duration.ofSeconds(30))) {
                System.err.printf("%s: the server did not open %d HTTP/2 watch streams%n", target.name(), watchers);
                return new Scenario(target.name(), name, Double.NaN, "events/s", Double.NaN, Double.NaN, 0);
            }
            createRound(streams, namespace, "warm-");
            streams.resetLatencies();
            long start = System.nanoTime();
            createRound(streams, namespace, "w-");
            double seconds = (System.nanoTime() - start) / 1e9;
            Latencies all = streams.latencies();
            return new Scenario(target.name(), name, all.count() / seconds, "events/s", all.percentileMillis(0.5),
                    all.percentileMillis(0.99), all.count());
        }
    }

    /** Creates the watch scenario's pods at its rate and waits until every watcher has every event. */
    private void createRound(LeanHttp2Client streams, String namespace, String prefix) throws Exception {
        int events = settings.watchEvents();
        long interval = TimeUnit.SECONDS.toNanos(1) / settings.watchEventsPerSecond();
        long start = System.nanoTime();
        for (int i = 0; i < events; i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            String pod = prefix + i;
            streams.create("/api/v1/namespaces/" + namespace + "/pods", sent -> podJson(namespace, pod, sent));
        }
        long expected = (long) settings.watchers() * events;
        if (!streams.awaitDeliveries(expected, Duration.ofSeconds(5)) || streams.failedCreates() > 0) {
            System.err.printf("%s: %d of %d watch deliveries arrived; %d creates failed%n", target.name(),
                    streams.latencies().count(), expected, streams.failedCreates());
        }
    }

    /**
     * Opens many watches that receive nothing, as streams of four HTTP/2 connections, keeps them open, and reports
     * how fast they opened and what holding them costs the server process in resident memory and threads. Only for
     * k4j, which reports its open watches in /metrics.
     */
    private Scenario idleWatches() throws Exception {
        int count = settings.idleWatches();
        ProcessStatus before = ProcessStatus.of(target.pid());
        List<LeanHttp2Client> connections = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < 4; i++) {
                connections.add(LeanHttp2Client.open(target, "/api/v1/namespaces/bench-idle/configmaps?watch=true"
                        + "&timeoutSeconds=300", count / 4));
            }
            for (LeanHttp2Client connection : connections) {
                if (!connection.awaitOpen(Duration.ofMinutes(2))) {
                    System.err.printf("%s: not every idle watch opened%n", target.name());
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String held = "";
            for (String line : send(h2, request("/metrics").GET()).body().lines().toList()) {
                if (line.startsWith("apiserver_registered_watchers ")) {
                    held = line.substring(line.indexOf(' ') + 1);
                }
            }
            ProcessStatus after = ProcessStatus.of(target.pid());
            System.out.printf("%s: %d idle watches open (server reports %s): server resident memory %d -> %d MiB, "
                    + "threads %d -> %d%n", target.name(), count / 4 * 4, held, before.residentMiB(),
                    after.residentMiB(), before.threads(), after.threads());
            return new Scenario(target.name(), count + " idle watches opened", count / seconds, "watches/s",
                    Double.NaN, Double.NaN, count);
        } finally {
            connections.forEach(LeanHttp2Client::close);
        }
    }

    /** Resident memory and thread count of a process on this machine, from /proc. */
    record ProcessStatus(long residentMiB, long threads) {
        static ProcessStatus of(long pid) throws java.io.IOException {
            long rss = -1;
            long threads = -1;
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
                } else if (line.startsWith("Threads:")) {
                    threads = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return new ProcessStatus(rss, threads);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(target.url() + path)).timeout(Duration.ofSeconds(60));
    }

    private HttpRequest.Builder createPod(String namespace, String name, long sentNanos) {
        return request("/api/v1/namespaces/" + namespace + "/pods").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(podJson(namespace, name, sentNanos)));
    }

    private static String podJson(String namespace, String name, long sentNanos) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\""
                + namespace + "\",\"labels\":{\"app\":\"bench\"},\"annotations\":{\"sent\":\"" + sentNanos + "\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"registry.local/app:1.0\","
                + "\"resources\":{\"requests\":{\"cpu\":\"10m\",\"memory\":\"16Mi\"}}}]}}";
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

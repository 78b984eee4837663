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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The API load generator behind {@code k4j bench apiserver}: pod creates and gets from N concurrent connections
 * (driven by wrk), a LIST of many pods, and watch delivery to many watchers (JDK HTTP client), over HTTPS. Every request
 * goes to the one target it is given, on loopback; loops are bounded in count and time.
 */
public final class ApiServerBenchmark {

    /** What to run; see {@code k4j bench apiserver --help}. */
    public record Settings(Duration duration, int clients, int listPods, int listRepeats, int watchers,
                           int watchEvents, int watchEventsPerSecond, int idleWatches) {
    }

    private final Target target;
    private final Settings settings;
    private final HttpClient h2;
    private final HttpClient h1;

    ApiServerBenchmark(Target target, Settings settings) {
        this.target = target;
        this.settings = settings;
        this.h2 = target.client(HttpClient.Version.HTTP_2);
        this.h1 = target.client(HttpClient.Version.HTTP_1_1);
    }

    public List<Scenario> runAll() throws Exception {
        List<Scenario> results = new ArrayList<>();
        for (String namespace : List.of("bench-crud", "bench-list", "bench-watch", "bench-idle")) {
            send(h2, request("/api/v1/namespaces").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
                            + "\"metadata\":{\"name\":\"" + namespace + "\"}}")));
        }
        // Warm-up, not measured: both servers run on the JVM and need their hot paths compiled.
        Wrk.run(target.url(), settings.clients(), Duration.ofSeconds(10), Wrk.createPods("bench-crud", "warm", 0),
                environment());
        Wrk.Report creates = Wrk.run(target.url(), settings.clients(), settings.duration(),
                Wrk.createPods("bench-crud", "c", 0), environment());
        results.add(scenario("create pod, " + settings.clients() + " clients", creates));
        for (int i = 1; i <= GET_POOL; i++) {
            send(h2, createPod("bench-crud", "g-" + i, 0));
        }
        Wrk.Report gets = Wrk.run(target.url(), settings.clients(), settings.duration(),
                Wrk.getPods("bench-crud", "g", GET_POOL), environment());
        results.add(scenario("get pod, " + settings.clients() + " clients", gets));
        results.add(list());
        results.add(watch());
        if (settings.idleWatches() > 0 && target.token() != null) {
            results.add(idleWatches());
        }
        return results;
    }

    private static final int GET_POOL = 200;

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
        Latencies latencies = new Latencies();
        int items = 0;
        for (int i = 0; i < settings.listRepeats(); i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = send(h2, request("/api/v1/namespaces/bench-list/pods").GET());
            latencies.add(System.nanoTime() - start);
            items = countItems(response.body());
        }
        if (items != settings.listPods()) {
            System.err.printf("%s: LIST returned %d pods, expected %d%n", target.name(), items, settings.listPods());
        }
        double seconds = latencies.percentileMillis(0.5) / 1000;
        return new Scenario(target.name(), "LIST " + settings.listPods() + " pods", 1 / seconds, "lists/s",
                latencies.percentileMillis(0.5), latencies.percentileMillis(0.99), latencies.count());
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
     * Each watcher is its own stream (HTTP/2 where the server allows that many streams, else HTTP/1.1); latency
     * runs from just before the create to the watcher reading the event.
     */
    private Scenario watch() throws Exception {
        HttpClient watchClient = target.token() != null ? h2 : h1;
        int watchers = settings.watchers();
        int events = settings.watchEvents();
        Latencies[] perWatcher = new Latencies[watchers];
        CountDownLatch ready = new CountDownLatch(watchers);
        CountDownLatch finished = new CountDownLatch(watchers);
        List<Stream<String>> streams = new ArrayList<>();
        for (int w = 0; w < watchers; w++) {
            Latencies latencies = new Latencies();
            perWatcher[w] = latencies;
            HttpResponse<Stream<String>> response = watchClient.send(request(
                    "/api/v1/namespaces/bench-watch/pods?watch=true&timeoutSeconds=120").GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
            streams.add(response.body());
            ready.countDown();
            Thread.ofVirtual().start(() -> {
                int seen = 0;
                try {
                    var lines = response.body().iterator();
                    while (seen < events && lines.hasNext()) {
                        String line = lines.next();
                        long now = System.nanoTime();
                        int at = line.indexOf("\"sent\":\"");
                        if (at >= 0 && line.contains("\"ADDED\"")) {
                            long sent = Long.parseLong(line.substring(at + 8, line.indexOf('"', at + 8)));
                            synchronized (latencies) {
                                latencies.add(now - sent);
                            }
                            seen++;
                        }
                    }
                } catch (RuntimeException closed) {
                    // the stream ended
                } finally {
                    finished.countDown();
                }
            });
        }
        ready.await();
        Thread.sleep(500); // let every watch register before the first event
        long interval = TimeUnit.SECONDS.toNanos(1) / settings.watchEventsPerSecond();
        long start = System.nanoTime();
        for (int i = 0; i < events; i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            send(h2, createPod("bench-watch", "w-" + i, System.nanoTime()));
        }
        boolean complete = finished.await(60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        streams.forEach(Stream::close);
        Latencies all = new Latencies();
        for (Latencies latencies : perWatcher) {
            synchronized (latencies) {
                all.addAll(latencies);
            }
        }
        if (!complete) {
            System.err.printf("%s: only %d of %d watch deliveries arrived%n", target.name(), all.count(),
                    (long) watchers * events);
        }
        return new Scenario(target.name(), "watch delivery, " + watchers + " watchers", all.count() / seconds,
                "events/s", all.percentileMillis(0.5), all.percentileMillis(0.99), all.count());
    }

    /**
     * Opens many watches that receive nothing and keeps them open, over a few HTTP/2 connections, and reports
     * how fast they opened and what holding them costs this JVM (server and client together) in heap and
     * platform threads. Only for k4j, which reports its open watches in /metrics.
     */
    private Scenario idleWatches() throws Exception {
        int count = settings.idleWatches();
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        long heapBefore = runtime.totalMemory() - runtime.freeMemory();
        int threadsBefore = Thread.activeCount();
        List<HttpClient> connections = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            connections.add(target.client(HttpClient.Version.HTTP_2));
        }
        List<java.util.concurrent.CompletableFuture<HttpResponse<java.io.InputStream>>> watches = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            watches.add(connections.get(i % connections.size()).sendAsync(request(
                    "/api/v1/namespaces/bench-idle/configmaps?watch=true&timeoutSeconds=300").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream()));
        }
        for (var watch : watches) {
            watch.get(120, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String held = "";
        for (String line : send(h2, request("/metrics").GET()).body().lines().toList()) {
            if (line.startsWith("apiserver_registered_watchers ")) {
                held = line.substring(line.indexOf(' ') + 1);
            }
        }
        System.gc();
        long heapAfter = runtime.totalMemory() - runtime.freeMemory();
        System.out.printf("%s: %d idle watches open (server reports %s): heap +%d MiB, platform threads %d -> %d%n",
                target.name(), count, held, (heapAfter - heapBefore) >> 20, threadsBefore, Thread.activeCount());
        for (var watch : watches) {
            watch.get().body().close();
        }
        return new Scenario(target.name(), count + " idle watches opened", count / seconds, "watches/s", Double.NaN,
                Double.NaN, count);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(target.url() + path)).timeout(Duration.ofSeconds(60));
    }

    private HttpRequest.Builder createPod(String namespace, String name, long sentNanos) {
        String body = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\""
                + namespace + "\",\"labels\":{\"app\":\"bench\"},\"annotations\":{\"sent\":\"" + sentNanos + "\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"registry.local/app:1.0\","
                + "\"resources\":{\"requests\":{\"cpu\":\"10m\",\"memory\":\"16Mi\"}}}]}}";
        return request("/api/v1/namespaces/" + namespace + "/pods").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

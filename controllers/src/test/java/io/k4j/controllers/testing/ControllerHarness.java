package io.k4j.controllers.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.k4j.apiserver.server.ApiServer;
import io.k4j.client.ApiRequestCounts;
import io.k4j.client.EventRecorder;
import io.k4j.controllers.KnownControllers;
import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.runtime.ControllerLoop;
import io.k4j.controllers.runtime.SharedCaches;
import io.k4j.store.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real API server in the test's JVM (loopback, a free port, a SQLite file in a temp dir) and controllers run
 * against it as clients, exactly as the controller manager runs them, on a clock the test controls.
 * Use one per test class; {@link #run} starts a controller with its own caches and workers. Closing it deletes the
 * temp dir.
 */
public final class ControllerHarness implements AutoCloseable {

    private final Path dir;
    private final SqliteStore store;
    private final ApiServer server;
    private final KubernetesClient client;
    private final List<AutoCloseable> running = new ArrayList<>();

    private ControllerHarness(Path dir) throws Exception {
        this.dir = dir;
        this.store = SqliteStore.open(dir.resolve("db/state.db"));
        this.server = ApiServer.builder().dataDir(dir).store(store).listen("127.0.0.1", 0).version("test").start();
        this.client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(server.kubeconfig()))).build();
    }

    public static ControllerHarness start() throws Exception {
        return new ControllerHarness(Files.createTempDirectory("k4j-controllers-"));
    }

    public KubernetesClient client() {
        return client;
    }

    /** Creates a namespace for the test's objects. */
    public void createNamespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
    }

    /** Requests the API server has counted for a verb (LIST, WATCH, ...) and resource, from its metrics. */
    public long requests(String verb, String resource) {
        return ApiRequestCounts.read(client).count(verb, resource);
    }

    public Path kubeconfig() {
        return server.kubeconfig();
    }

    /** Starts the reconciler with its own caches and {@code workers} workers; returns its loop (queue, context). */
    public ControllerLoop run(String name, Reconciler reconciler, Clock clock, int workers) throws Exception {
        return runSharingCaches(Map.of(name, reconciler), clock, workers).getFirst();
    }

    /**
     * Starts the reconcilers (by controller name) over one set of shared caches, as the controller manager does, each
     * with {@code workers} workers; returns their loops in the map's order.
     */
    public List<ControllerLoop> runSharingCaches(Map<String, Reconciler> reconcilers, Clock clock, int workers)
            throws Exception {
        SharedCaches caches = new SharedCaches(client);
        running.add(caches);
        List<ControllerLoop> loops = new ArrayList<>();
        reconcilers.forEach((name, reconciler) -> {
            EventRecorder events = new EventRecorder(client, clock, KnownControllers.eventSource(name));
            running.add(events);
            loops.add(new ControllerLoop(name, reconciler, workers, client, caches, clock, events));
        });
        caches.startAndSync(Duration.ofSeconds(30));
        for (ControllerLoop loop : loops) {
            loop.start();
            running.add(loop);
        }
        return loops;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : running.reversed()) {
            closeable.close();
        }
        client.close();
        server.close();
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}

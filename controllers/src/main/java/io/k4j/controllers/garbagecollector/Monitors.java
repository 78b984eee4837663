package io.k4j.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.k4j.controllers.discovery.ApiResource;
import io.k4j.controllers.discovery.ApiResources;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One metadata-only informer per resource the collector covers and no controller caches already (those reach the
 * graph through the shared caches), feeding the graph. Resources come and go with
 * discovery (custom resources); {@link #synced} tells whether every informer has listed its objects once, before
 * which the graph may miss dependents and the collector must not act on it.
 */
final class Monitors implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Monitors.class);

    private final Map<String, SharedIndexInformer<GenericKubernetesResource>> informers = new ConcurrentHashMap<>();
    private final Graph graph;
    private final Consumer<List<Graph.Work>> work;

    Monitors(Graph graph, Consumer<List<Graph.Work>> work) {
        this.graph = graph;
        this.work = work;
    }

    /** Resources the collector watches: all that can be listed, watched and deleted, except events (as upstream). */
    static boolean covered(ApiResource resource) {
        return resource.supports("list", "watch", "delete") && coveredPlural(resource.plural());
    }

    /** Whether the collector covers objects of this type (events it leaves alone, as upstream). */
    static boolean covered(Class<? extends HasMetadata> type) {
        return coveredPlural(HasMetadata.getPlural(type));
    }

    private static boolean coveredPlural(String plural) {
        return !plural.equals("events");
    }

    /** The keys ({@code apiVersion/plural}) of resources served by these types. */
    static Set<String> keys(Set<Class<? extends HasMetadata>> types) {
        return types.stream().map(type -> HasMetadata.getApiVersion(type) + "/" + HasMetadata.getPlural(type))
                .collect(Collectors.toSet());
    }

    /**
     * Starts informers for new resources and stops those of resources no longer served; resources in {@code cached}
     * (keys as {@link #keys} makes them) are left to the shared caches.
     */
    synchronized void sync(KubernetesClient client, ApiResources discovered, Set<String> cached) {
        Map<String, ApiResource> wanted = discovered.resources().stream().filter(Monitors::covered)
                .filter(resource -> !cached.contains(key(resource)))
                .collect(Collectors.toMap(Monitors::key, r -> r, (a, b) -> a));
        for (String key : Set.copyOf(informers.keySet())) {
            String apiVersion = key.substring(0, key.lastIndexOf('/'));
            if (!wanted.containsKey(key) && !discovered.failedGroupVersions().containsKey(apiVersion)) {
                LOG.info("garbage collector: {} is no longer served; stopping its monitor", key);
                informers.remove(key).close();
            }
        }
        wanted.forEach((key, resource) -> {
            if (!informers.containsKey(key)) {
                informers.put(key, start(client, key, resource));
            }
        });
    }

    private static String key(ApiResource resource) {
        return resource.apiVersion() + "/" + resource.plural();
    }

    private SharedIndexInformer<GenericKubernetesResource> start(KubernetesClient client, String key,
            ApiResource resource) {
        var operation = resource.operation(client);
        SharedIndexInformer<GenericKubernetesResource> informer = resource.namespaced()
                ? operation.inAnyNamespace().runnableInformer(0) : operation.runnableInformer(0);
        informer.itemStore(new MetadataStore());
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource object) {
                work.accept(graph.observe(Node.of(object, resource)));
            }

            @Override
            public void onUpdate(GenericKubernetesResource oldObject, GenericKubernetesResource newObject) {
                work.accept(graph.observe(Node.of(newObject, resource)));
            }

            @Override
            public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
                work.accept(graph.forget(object.getMetadata().getUid()));
            }
        });
        informer.start().whenComplete((ignored, error) -> {
            if (error != null) {
                LOG.warn("garbage collector: cannot watch {}: {}", resource, error.getMessage());
                if (informers.remove(key, informer)) { // so the others count as synced; discovery tries again
                    informer.close();
                }
            }
        });
        return informer;
    }

    boolean synced() {
        return informers.values().stream().allMatch(SharedIndexInformer::hasSynced);
    }

    @Override
    public synchronized void close() {
        informers.values().forEach(SharedIndexInformer::close);
        informers.clear();
    }
}

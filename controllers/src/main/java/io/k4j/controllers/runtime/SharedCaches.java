package io.k4j.controllers.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.k4j.controllers.api.Cache;
import io.k4j.controllers.api.ObjectKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One informer per object type, shared by every controller that reads that type (so 17 controllers watching pods
 * cost one watch and one copy of the pods). Each cache is indexed by namespace and by owner uid.
 */
public final class SharedCaches implements AutoCloseable {

    static final String OWNER_INDEX = "k4j/owner-uid";
    static final String NAMESPACE_INDEX = "k4j/namespace";

    private final KubernetesClient client;
    private final Map<Class<? extends HasMetadata>, SharedIndexInformer<?>> informers = new ConcurrentHashMap<>();
    private final Map<Class<?>, Set<String>> indexes = new ConcurrentHashMap<>();
    private final List<Function<Class<? extends HasMetadata>, ResourceEventHandler<HasMetadata>>> everyTypeHandlers =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public SharedCaches(KubernetesClient client) {
        this.client = client;
    }

    @SuppressWarnings("unchecked")
    <T extends HasMetadata> SharedIndexInformer<T> informer(Class<T> type) {
        return (SharedIndexInformer<T>) informers.computeIfAbsent(type, t -> {
            SharedIndexInformer<T> informer = client.resources(type).inAnyNamespace().runnableInformer(0);
            informer.addIndexers(Map.of(
                    OWNER_INDEX, object -> owners(object),
                    NAMESPACE_INDEX, object -> List.of(String.valueOf(object.getMetadata().getNamespace()))));
            return informer;
        });
    }

    private static List<String> owners(HasMetadata object) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        return refs == null || refs.isEmpty() ? List.of() : refs.stream().map(OwnerReference::getUid).toList();
    }

    /** Adds an index to a type's informer (before it starts); a name already there is left as it is. */
    <T extends HasMetadata> void addIndex(Class<T> type, String name, Function<T, List<String>> values) {
        SharedIndexInformer<T> informer = informer(type);
        if (indexes.computeIfAbsent(type, t -> ConcurrentHashMap.newKeySet()).add(name)) {
            informer.addIndexers(Map.of(name, values::apply));
        }
    }

    <T extends HasMetadata> void addHandler(Class<T> type, ResourceEventHandler<T> handler) {
        informer(type).addEventHandler(handler);
    }

    @SuppressWarnings("unchecked")
    private static void addHandler(SharedIndexInformer<?> informer, ResourceEventHandler<HasMetadata> handler) {
        ((SharedIndexInformer<HasMetadata>) informer).addEventHandler(handler);
    }

    public <T extends HasMetadata> Cache<T> cache(Class<T> type) {
        SharedIndexInformer<T> informer = informers.containsKey(type) ? informer(type) : null;
        if (informer == null) {
            throw new IllegalStateException(type.getSimpleName() + " is not watched: declare it in watch()");
        }
        return new Cache<>() {
            @Override
            public Optional<T> get(ObjectKey key) {
                return Optional.ofNullable(informer.getStore().getByKey(key.cacheKey()));
            }

            @Override
            public List<T> list() {
                return informer.getStore().list();
            }

            @Override
            public List<T> list(String namespace) {
                return informer.getIndexer().byIndex(NAMESPACE_INDEX, namespace);
            }

            @Override
            public List<T> ownedBy(String ownerUid) {
                return informer.getIndexer().byIndex(OWNER_INDEX, ownerUid);
            }

            @Override
            public List<T> indexed(String index, String value) {
                return informer.getIndexer().byIndex(index, value);
            }
        };
    }

    /** The types some controller declared, each with one shared informer. */
    public Set<Class<? extends HasMetadata>> types() {
        return Set.copyOf(informers.keySet());
    }

    /**
     * Registers a handler for every type's informer when {@link #startAndSync} runs, so that it sees the types
     * declared by controllers set up after it too.
     */
    void addHandlerForEveryType(Function<Class<? extends HasMetadata>, ResourceEventHandler<HasMetadata>> handler) {
        everyTypeHandlers.add(handler);
    }

    /** Starts every informer declared so far and waits until each has listed its objects once. */
    public void startAndSync(Duration timeout) throws InterruptedException, TimeoutException {
        informers.forEach((type, informer) -> everyTypeHandlers.forEach(handler -> addHandler(informer,
                handler.apply(type))));
        CompletableFuture<?>[] started = informers.values().stream()
                .map(informer -> informer.start().toCompletableFuture()).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(started).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("an informer failed to start", e.getCause());
        }
    }

    @Override
    public void close() {
        informers.values().forEach(SharedIndexInformer::close);
    }
}

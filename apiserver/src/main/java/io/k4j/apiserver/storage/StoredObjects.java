package io.k4j.apiserver.storage;

import io.k4j.apiserver.admission.ObjectLookup;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.registry.ResourceRegistry;
import io.k4j.store.KeyValueStore;
import io.k4j.store.RangeRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Admission's view of stored objects (the namespace of a new object, PriorityClasses, StorageClasses). It sees
 * every write acknowledged before the call (a PriorityClass created right before its first pod): from the watch
 * cache once that has caught up with the store's revision, which saves a store read and a parse on every create;
 * from the store itself when there is no cache yet or it lags for longer than {@link #CACHE_WAIT}. Objects from the
 * cache are shared: callers read them, never change them.
 */
final class StoredObjects implements ObjectLookup {

    /** How long a lookup waits for the watch cache to catch up before it reads the store instead. */
    static final Duration CACHE_WAIT = Duration.ofMillis(200);

    private final KeyValueStore store;
    private final ResourceRegistry registry;
    private volatile ObjectCache cache;

    StoredObjects(KeyValueStore store, ResourceRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    /** Serves lookups from this cache from now on. */
    void useCache(ObjectCache cache) {
        this.cache = cache;
    }

    @Override
    public Optional<ObjectNode> get(Resource resource, String namespace, String name) {
        ResourceDefinition definition = definition(resource);
        ObjectCache fresh = freshCache();
        if (fresh != null) {
            return fresh.get(definition, namespace, name);
        }
        return store.get(definition.key(namespace, name)).kv().map(ObjectStorage::decode);
    }

    @Override
    public List<ObjectNode> list(Resource resource, String namespace) {
        ResourceDefinition definition = definition(resource);
        ObjectCache fresh = freshCache();
        if (fresh != null) {
            return fresh.list(definition, namespace);
        }
        return store.range(RangeRequest.prefix(definition.prefix(namespace))).items().stream()
                .map(ObjectStorage::decode).toList();
    }

    /** The cache once it holds every write the store acknowledged so far; null when it has none or lags. */
    private ObjectCache freshCache() {
        ObjectCache current = cache;
        return current != null && current.awaitRevision(store.currentRevision(), CACHE_WAIT) ? current : null;
    }

    private ResourceDefinition definition(Resource resource) {
        return registry.require(resource.group(), resource.version(), resource.plural());
    }
}

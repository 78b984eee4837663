package io.k4j.apiserver.storage;

import io.k4j.apiserver.admission.ObjectLookup;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.registry.ResourceRegistry;
import io.k4j.store.KeyValueStore;
import io.k4j.store.RangeRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * Admission's view of stored objects (the namespace of a new object, PriorityClasses, StorageClasses). It sees
 * every write this server acknowledged before the call (a PriorityClass created right before its first pod): from
 * the watch cache once that has caught up with the last write to the resource read, which saves a store read and a
 * parse on every create; from the store itself when there is no cache yet or it lags for longer than
 * {@link #CACHE_WAIT}. A cache that has to catch up with writes to other resources is not waited for, so pods being
 * created by the thousand do not hold up each other's admission. Writes through another API server sharing an etcd
 * are seen once this server's cache has them, as upstream's admission sees them through its informers. Objects from
 * the cache are shared: callers read them, never change them.
 */
final class StoredObjects implements ObjectLookup {

    /** How long a lookup waits for the watch cache to catch up before it reads the store instead. */
    static final Duration CACHE_WAIT = Duration.ofMillis(200);

    private final KeyValueStore store;
    private final ResourceRegistry registry;
    private volatile ObjectCache cache;
    /** The revision of the last write through this server, by resource (storage prefix). */
    private final Map<String, Long> written = new ConcurrentHashMap<>();

    StoredObjects(KeyValueStore store, ResourceRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    /** Records a write through this server, acknowledged once this returns. */
    void written(String key, long revision) {
        written.merge(ResourceDefinition.storagePrefixOf(key), revision, Math::max);
    }

    /** Serves lookups from this cache from now on. */
    void useCache(ObjectCache cache) {
        this.cache = cache;
    }

    @Override
    public Optional<ObjectNode> get(Resource resource, String namespace, String name) {
        ResourceDefinition definition = definition(resource);
        ObjectCache fresh = freshCache(definition);
        if (fresh != null) {
            return fresh.get(definition, namespace, name);
        }
        return store.get(definition.key(namespace, name)).kv().map(ObjectStorage::decode);
    }

    @Override
    public List<ObjectNode> list(Resource resource, String namespace) {
        ResourceDefinition definition = definition(resource);
        ObjectCache fresh = freshCache(definition);
        if (fresh != null) {
            return fresh.list(definition, namespace);
        }
        return store.range(RangeRequest.prefix(definition.prefix(namespace))).items().stream()
                .map(ObjectStorage::decode).toList();
    }

    /** The cache once it holds every write to the resource acknowledged so far; null when it has none or lags. */
    private ObjectCache freshCache(ResourceDefinition definition) {
        ObjectCache current = cache;
        long wanted = written.getOrDefault(definition.storagePrefix(), 0L);
        return current != null && current.awaitRevision(wanted, CACHE_WAIT) ? current : null;
    }

    private ResourceDefinition definition(Resource resource) {
        return registry.require(resource.group(), resource.version(), resource.plural());
    }
}

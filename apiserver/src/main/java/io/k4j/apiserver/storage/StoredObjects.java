package io.k4j.apiserver.storage;

import io.k4j.apiserver.admission.ObjectLookup;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.registry.ResourceRegistry;
import io.k4j.store.KeyValueStore;
import io.k4j.store.RangeRequest;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Admission's view of stored objects, read from the store itself rather than the watch cache so that a plugin
 * sees a write that was just acknowledged (a PriorityClass created right before its first pod).
 */
final class StoredObjects implements ObjectLookup {

    private final KeyValueStore store;
    private final ResourceRegistry registry;

    StoredObjects(KeyValueStore store, ResourceRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    @Override
    public Optional<ObjectNode> get(Resource resource, String namespace, String name) {
        ResourceDefinition definition = definition(resource);
        return store.get(definition.key(namespace, name)).kv().map(ObjectStorage::decode);
    }

    @Override
    public List<ObjectNode> list(Resource resource, String namespace) {
        ResourceDefinition definition = definition(resource);
        return store.range(RangeRequest.prefix(definition.prefix(namespace))).items().stream()
                .map(ObjectStorage::decode).toList();
    }

    private ResourceDefinition definition(Resource resource) {
        return registry.require(resource.group(), resource.version(), resource.plural());
    }
}

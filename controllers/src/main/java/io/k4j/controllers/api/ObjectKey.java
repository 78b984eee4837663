package io.k4j.controllers.api;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** What a controller's queue holds: a namespaced object's namespace and name (namespace null for cluster-scoped). */
public record ObjectKey(String namespace, String name) {

    public static ObjectKey of(HasMetadata object) {
        return new ObjectKey(object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    public static ObjectKey cluster(String name) {
        return new ObjectKey(null, name);
    }

    /** The informer cache's key: "namespace/name", or "name" for cluster-scoped objects. */
    public String cacheKey() {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    @Override
    public String toString() {
        return cacheKey();
    }
}

package io.k4j.apiserver.storage;

import io.k4j.apiserver.registry.ResourceDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/** An in-memory copy of the stored objects that follows the store (the watch cache); its objects are shared. */
public interface ObjectCache {

    /** Waits until the copy has seen {@code revision}; false if that takes longer than {@code timeout}. */
    boolean awaitRevision(long revision, Duration timeout);

    /** One object ("" namespace for cluster-scoped resources); read it, never change it. */
    Optional<ObjectNode> get(ResourceDefinition definition, String namespace, String name);

    /** The objects of a resource in a namespace (all namespaces for ""); read them, never change them. */
    List<ObjectNode> list(ResourceDefinition definition, String namespace);
}

package io.k4j.controllers.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Optional;

/** A read-only view of one shared informer's cache. Objects in it are shared: copy before changing them. */
public interface Cache<T extends HasMetadata> {

    Optional<T> get(ObjectKey key);

    List<T> list();

    List<T> list(String namespace);

    /** Objects with an ownerReference (controller or not) to the object with this uid. */
    List<T> ownedBy(String ownerUid);

    /** Objects an index declared with {@link Watches#index} maps to this value. */
    List<T> indexed(String index, String value);
}

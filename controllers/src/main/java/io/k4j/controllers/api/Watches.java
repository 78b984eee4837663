package io.k4j.controllers.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/** What a controller declares in {@link Reconciler#watch}: every event of these types enqueues the keys named. */
public interface Watches {

    /** Each object of this type is a key of the controller's queue. */
    <T extends HasMetadata> Watches primary(Class<T> type);

    /**
     * Objects of this type enqueue their controlling owner (the ownerReference with controller=true) when it is of
     * {@code ownerKind}; on an update that changes the owner, the old one is enqueued too.
     */
    <T extends HasMetadata> Watches owned(Class<T> type, String ownerKind);

    /** Objects of this type enqueue whatever keys {@code keys} names (for example all DaemonSets for a node). */
    <T extends HasMetadata> Watches mapped(Class<T> type, Function<T, Collection<ObjectKey>> keys);

    /**
     * Objects of this type are cached (for {@link Context#cache}) but their events enqueue nothing; also calls
     * {@code listener} for every event, so a controller can keep its own bookkeeping (expectations) current.
     */
    <T extends HasMetadata> Watches cached(Class<T> type, Listener<T> listener);

    default <T extends HasMetadata> Watches cached(Class<T> type) {
        return cached(type, (event, oldObject, newObject) -> {
        });
    }

    /**
     * The cache of a type declared above, for mapping functions that look up other objects (a pod's ReplicaSet's
     * Deployment, the selectors an orphan matches). Read it only from inside those functions or reconcile.
     */
    <T extends HasMetadata> Cache<T> cache(Class<T> type);

    /**
     * Indexes a type's cache by the values {@code values} gives each object, for {@link Cache#indexed} (pods by node,
     * say, so a controller looking at one node does not walk every pod). Declaring the same index twice is harmless.
     */
    <T extends HasMetadata> Watches index(Class<T> type, String name, Function<T, List<String>> values);

    /**
     * Sees every event of every type that any controller declared (the shared caches), and queues the keys
     * {@code listener} returns. The garbage collector builds its ownership graph from these rather than watching
     * those types a second time.
     */
    Watches everyCachedType(CachedTypeListener listener);

    /** Queues this key once when the controller starts (periodic work that is not driven by any one object). */
    Watches atStart(ObjectKey key);

    enum Event { ADDED, UPDATED, DELETED }

    /** Sees one event of any cached type ({@code object} is the new one, or the deleted one) and names keys to queue. */
    @FunctionalInterface
    interface CachedTypeListener {
        Collection<ObjectKey> on(Event event, Class<? extends HasMetadata> type, HasMetadata object);
    }

    /** Sees every event of a watched type (oldObject is null on ADDED, newObject is the deleted one on DELETED). */
    @FunctionalInterface
    interface Listener<T> {
        void on(Event event, T oldObject, T newObject);
    }
}

package io.k4j.controllers.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.client.EventRecorder;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/** What a reconcile gets besides its key. */
public interface Context {

    /** The API client: every write goes through it. */
    KubernetesClient client();

    /** The shared cache of a type the controller declared in {@link Reconciler#watch}. */
    <T extends HasMetadata> Cache<T> cache(Class<T> type);

    /** The types with a shared cache, declared by any controller (none in a context made by hand). */
    default Set<Class<? extends HasMetadata>> cachedTypes() {
        return Set.of();
    }

    /** Time for deadlines, backoffs and schedules: injected, so tests can move it. */
    Clock clock();

    EventRecorder events();

    /** Queues a key of this controller (another object than the one being reconciled), after a delay. */
    void enqueue(ObjectKey key, Duration after);
}

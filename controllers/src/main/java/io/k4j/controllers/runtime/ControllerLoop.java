package io.k4j.controllers.runtime;

import io.k4j.client.queue.WorkQueue;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.k4j.client.EventRecorder;
import io.k4j.controllers.api.Cache;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.OwnerRefs;
import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.api.Result;
import io.k4j.controllers.api.Watches;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one reconciler: its watch declarations become informer handlers that fill its work queue, and its workers
 * take keys from the queue and reconcile them. A reconcile that throws or asks to retry is requeued with the key's
 * exponential backoff; a conflict (HTTP 409, a stale cache) is retried quietly.
 */
public final class ControllerLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControllerLoop.class);

    private final String name;
    private final Reconciler reconciler;
    private final WorkQueue<ObjectKey> queue;
    private final Context context;
    private final int workers;
    private final List<Thread> threads = new ArrayList<>();
    private final List<ObjectKey> startKeys = new ArrayList<>();

    public ControllerLoop(String name, Reconciler reconciler, int workers, KubernetesClient client,
            SharedCaches caches, Clock clock, EventRecorder events) {
        this.name = name;
        this.reconciler = reconciler;
        this.workers = workers;
        this.queue = new WorkQueue<>(clock);
        this.context = new Context() {
            @Override
            public KubernetesClient client() {
                return client;
            }

            @Override
            public Set<Class<? extends HasMetadata>> cachedTypes() {
                return caches.types();
            }

            @Override
            public <T extends HasMetadata> Cache<T> cache(Class<T> type) {
                return caches.cache(type);
            }

            @Override
            public Clock clock() {
                return clock;
            }

            @Override
            public EventRecorder events() {
                return events;
            }

            @Override
            public void enqueue(ObjectKey key, Duration after) {
                queue.addAfter(key, after);
            }
        };
        reconciler.watch(new Declarations(caches));
    }

    public String name() {
        return name;
    }

    public WorkQueue<ObjectKey> queue() {
        return queue;
    }

    public Context context() {
        return context;
    }

    /** Starts the workers; call once the caches have synced. */
    public void start() {
        startKeys.forEach(queue::add);
        for (int i = 0; i < workers; i++) {
            threads.add(Thread.ofPlatform().daemon().name("k4j-" + name + "-" + i).start(this::work));
        }
    }

    private void work() {
        try {
            ObjectKey key;
            while ((key = queue.get()) != null) {
                try {
                    processOne(key);
                } finally {
                    queue.done(key);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reconciles one key and requeues it as the result asks. Public for tests that drive the loop by hand. */
    public void processOne(ObjectKey key) {
        Result result;
        try {
            result = Objects.requireNonNull(reconciler.reconcile(key, context), "reconcile returned null");
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                LOG.warn("{}: reconciling {} failed (retry {}): {}", name, key, queue.failures(key) + 1,
                        e.getMessage());
            }
            result = Result.retry();
        } catch (Exception e) {
            LOG.warn("{}: reconciling {} failed (retry {})", name, key, queue.failures(key) + 1, e);
            result = Result.retry();
        }
        switch (result) {
            case Result.Done done -> queue.forget(key);
            case Result.RequeueAfter after -> {
                queue.forget(key);
                queue.addAfter(key, after.delay());
            }
            case Result.Retry retry -> queue.addRateLimited(key);
        }
    }

    @Override
    public void close() {
        queue.shutDown();
        threads.forEach(Thread::interrupt);
        reconciler.stop();
    }

    /** Turns {@link Reconciler#watch} declarations into informer handlers feeding this loop's queue. */
    private final class Declarations implements Watches {

        private final SharedCaches caches;

        Declarations(SharedCaches caches) {
            this.caches = caches;
        }

        @Override
        public <T extends HasMetadata> Watches primary(Class<T> type) {
            return mapped(type, object -> List.of(ObjectKey.of(object)));
        }

        @Override
        public <T extends HasMetadata> Watches owned(Class<T> type, String ownerKind) {
            return mapped(type, object -> owner(object, ownerKind)
                    .map(ref -> List.of(new ObjectKey(object.getMetadata().getNamespace(), ref.getName())))
                    .orElse(List.of()));
        }

        private static Optional<OwnerReference> owner(HasMetadata object, String kind) {
            return OwnerRefs.controllerOf(object).filter(ref -> kind.equals(ref.getKind()));
        }

        @Override
        public <T extends HasMetadata> Watches mapped(Class<T> type, Function<T, Collection<ObjectKey>> keys) {
            caches.addHandler(type, new ResourceEventHandler<>() {
                @Override
                public void onAdd(T object) {
                    keys.apply(object).forEach(queue::add);
                }

                @Override
                public void onUpdate(T oldObject, T newObject) {
                    keys.apply(oldObject).forEach(queue::add);
                    keys.apply(newObject).forEach(queue::add);
                }

                @Override
                public void onDelete(T object, boolean finalStateUnknown) {
                    keys.apply(object).forEach(queue::add);
                }
            });
            return this;
        }

        @Override
        public <T extends HasMetadata> Cache<T> cache(Class<T> type) {
            return caches.cache(type);
        }

        @Override
        public <T extends HasMetadata> Watches index(Class<T> type, String name, Function<T, List<String>> values) {
            caches.addIndex(type, name, values);
            return this;
        }

        @Override
        public Watches everyCachedType(CachedTypeListener listener) {
            caches.addHandlerForEveryType(type -> new ResourceEventHandler<>() {
                @Override
                public void onAdd(HasMetadata object) {
                    listener.on(Event.ADDED, type, object).forEach(queue::add);
                }

                @Override
                public void onUpdate(HasMetadata oldObject, HasMetadata newObject) {
                    listener.on(Event.UPDATED, type, newObject).forEach(queue::add);
                }

                @Override
                public void onDelete(HasMetadata object, boolean finalStateUnknown) {
                    listener.on(Event.DELETED, type, object).forEach(queue::add);
                }
            });
            return this;
        }

        @Override
        public Watches atStart(ObjectKey key) {
            startKeys.add(key);
            return this;
        }

        @Override
        public <T extends HasMetadata> Watches cached(Class<T> type, Listener<T> listener) {
            caches.addHandler(type, new ResourceEventHandler<>() {
                @Override
                public void onAdd(T object) {
                    listener.on(Event.ADDED, null, object);
                }

                @Override
                public void onUpdate(T oldObject, T newObject) {
                    listener.on(Event.UPDATED, oldObject, newObject);
                }

                @Override
                public void onDelete(T object, boolean finalStateUnknown) {
                    listener.on(Event.DELETED, null, object);
                }
            });
            return this;
        }
    }
}

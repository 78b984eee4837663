package io.k4j.scheduler.api;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.k4j.scheduler.framework.Handle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler's view of the API: shared informers on pods, nodes, namespaces and PodDisruptionBudgets. Pod and
 * node events go to a {@link Listener} (the scheduler updates its cache and queue); namespaces and budgets are read
 * on demand through {@link Handle.Listers}.
 */
public final class ClusterInformers implements Handle.Listers, AutoCloseable {

    /** Receives pod and node changes, on the informers' threads, one event at a time per resource. */
    public interface Listener {
        void podAdded(Pod pod);

        void podUpdated(Pod old, Pod updated);

        void podDeleted(Pod pod);

        void nodeAdded(Node node);

        void nodeUpdated(Node old, Node updated);

        void nodeDeleted(Node node);

        void namespaceChanged(Namespace old, Namespace updated);
    }

    private final KubernetesClient client;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private SharedIndexInformer<Namespace> namespaces;
    private SharedIndexInformer<PodDisruptionBudget> budgets;

    /**
     * Pods and nodes are first listed in pages of this many, as client-go's reflectors do, so a big cluster's list is
     * never read and parsed whole on top of the cache it fills.
     */
    static final long LIST_PAGE = 500;

    public ClusterInformers(KubernetesClient client) {
        this.client = client;
    }

    /** Starts every informer and waits until each has listed once. */
    public void start(Listener listener) throws InterruptedException {
        namespaces = client.namespaces().inform(handler(
                ns -> listener.namespaceChanged(null, ns), listener::namespaceChanged, ns -> { }));
        budgets = client.policy().v1().podDisruptionBudget().inAnyNamespace().inform();
        informers.add(namespaces);
        informers.add(budgets);
        informers.add(client.nodes().withLimit(LIST_PAGE).inform(
                handler(listener::nodeAdded, listener::nodeUpdated, listener::nodeDeleted)));
        SharedIndexInformer<Pod> pods = client.pods().inAnyNamespace().withLimit(LIST_PAGE).runnableInformer(0)
                .itemStore(new StrippedPods());
        pods.addEventHandler(handler(listener::podAdded, listener::podUpdated, listener::podDeleted));
        informers.add(pods);
        for (SharedIndexInformer<?> informer : informers) {
            try {
                informer.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("the " + informer.getApiTypeClass().getSimpleName()
                        + " informer did not sync: " + e.getMessage(), e);
            }
        }
    }

    /**
     * The informer's store of pods, which drops managedFields as a pod is stored: the scheduler never reads them, and
     * they are half of what 150,000 cached pods cost. Dropped here rather than in the event handler, because the
     * handler runs later, off a queue: while a big list was read, most pods still waited in that queue with theirs.
     */
    private static final class StrippedPods extends BasicItemStore<Pod> {
        StrippedPods() {
            super(Cache::metaNamespaceKeyFunc);
        }

        @Override
        public Pod put(String key, Pod pod) {
            if (pod.getMetadata() != null) {
                pod.getMetadata().setManagedFields(null);
            }
            return super.put(key, pod);
        }
    }

    private static <T> ResourceEventHandler<T> handler(java.util.function.Consumer<T> added,
                                                       java.util.function.BiConsumer<T, T> updated,
                                                       java.util.function.Consumer<T> deleted) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                added.accept(object);
            }

            @Override
            public void onUpdate(T old, T object) {
                updated.accept(old, object);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                deleted.accept(object);
            }
        };
    }

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
        Namespace ns = namespaces.getIndexer().getByKey(namespace);
        return ns == null || ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels();
    }

    @Override
    public List<Namespace> namespaces() {
        return namespaces.getIndexer().list();
    }

    @Override
    public List<PodDisruptionBudget> disruptionBudgets(String namespace) {
        return budgets.getIndexer().byIndex("namespace", namespace);
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
    }
}

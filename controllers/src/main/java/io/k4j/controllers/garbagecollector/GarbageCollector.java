package io.k4j.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.api.Result;
import io.k4j.controllers.api.Watches;
import io.k4j.controllers.discovery.ApiResources;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Garbage collection by ownerReferences over every resource discovery lists (custom resources included, found again
 * every 30 s and whenever a CRD changes). Objects whose owners are all gone are deleted; owners deleted in the
 * foreground wait for their blocking dependents; owners deleted with orphan propagation release their dependents.
 * Its queue holds one discovery key and, per object uid, the work {@link Graph} asks for.
 */
public final class GarbageCollector implements Reconciler {

    public static final String NAME = "garbagecollector";
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
    static final ObjectKey DISCOVER = ObjectKey.cluster("discover resources");
    static final Duration REDISCOVER = Duration.ofSeconds(30);
    static final Duration WAIT_FOR_SYNC = Duration.ofSeconds(1);

    private final Graph graph = new Graph();
    private final AbsentOwners absentOwners = new AbsentOwners();
    private volatile Monitors monitors;
    private volatile ApiResources resources;
    private volatile Context context;
    private boolean stopped;

    @Override
    public void watch(Watches watches) {
        // Discovery runs when the controller starts, then every REDISCOVER and whenever CRDs change what exists.
        watches.atStart(DISCOVER).mapped(CustomResourceDefinition.class, crd -> List.of(DISCOVER));
        // Types other controllers already cache feed the graph from those caches: one watch and one decoding of
        // each object for the whole manager (pods change at every start, and are the busiest).
        watches.everyCachedType((event, type, object) -> !Monitors.covered(type) ? List.of()
                : keys(event == Watches.Event.DELETED
                ? graph.forget(object.getMetadata().getUid())
                : graph.observe(Node.of(object, HasMetadata.getApiVersion(type), HasMetadata.getKind(type)))));
    }

    private static List<ObjectKey> keys(List<Graph.Work> work) {
        return work.stream().map(GarbageCollector::key).toList();
    }

    private static ObjectKey key(Graph.Work work) {
        return new ObjectKey(work.action().name(), work.uid());
    }

    @Override
    public Result reconcile(ObjectKey key, Context context) {
        if (key.equals(DISCOVER)) {
            discover(context);
            return Result.requeueAfter(REDISCOVER);
        }
        if (monitors == null || !monitors.synced()) {
            return Result.requeueAfter(WAIT_FOR_SYNC); // the graph may still miss dependents
        }
        Collector collector = new Collector(context.client(), graph, resources, absentOwners, this::enqueue);
        try {
            switch (Graph.Action.valueOf(key.namespace())) {
                case ATTEMPT_TO_DELETE -> collector.attemptToDelete(key.name());
                case ATTEMPT_TO_ORPHAN -> collector.attemptToOrphan(key.name());
            }
        } catch (UnknownResourceException e) {
            // A kind nobody serves (a typo, a CRD not yet there): look again after the next discovery.
            LOG.info("garbage collector: {}; retrying in {}", e.getMessage(), REDISCOVER);
            return Result.requeueAfter(REDISCOVER);
        }
        return Result.done();
    }

    private synchronized void discover(Context context) {
        if (stopped) {
            return; // a worker still finishing when the loop stopped must not start monitors nobody closes
        }
        this.context = context;
        ApiResources discovered = ApiResources.discover(context.client());
        resources = resources == null ? discovered : discovered.keepingFailedFrom(resources);
        if (monitors == null) {
            monitors = new Monitors(graph, work -> work.forEach(this::enqueue));
        }
        monitors.sync(context.client(), discovered, Monitors.keys(context.cachedTypes()));
    }

    private void enqueue(Graph.Work work) {
        context.enqueue(key(work), Duration.ZERO);
    }

    /** Whether a discovery has set up the collector's own informers (for tests). */
    synchronized boolean monitoring() {
        return monitors != null;
    }

    @Override
    public synchronized void stop() {
        stopped = true; // after a discovery in progress (same lock), so the monitors it starts are closed here
        if (monitors != null) {
            monitors.close();
        }
    }
}

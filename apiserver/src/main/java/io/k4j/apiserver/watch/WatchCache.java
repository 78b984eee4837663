package io.k4j.apiserver.watch;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.selection.Selector;
import io.k4j.apiserver.storage.ObjectCache;
import io.k4j.apiserver.storage.ObjectMeta;
import io.k4j.apiserver.storage.ObjectStorage;
import io.k4j.apiserver.storage.StoredJson;
import io.k4j.store.KeyValue;
import io.k4j.store.KeyValueStore;
import io.k4j.store.RangeRequest;
import io.k4j.store.RangeResult;
import io.k4j.store.StoreException;
import io.k4j.store.Watch;
import io.k4j.store.WatchEvent;
import io.k4j.store.WatchListener;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every object under /registry/ in memory, fed by one store watch, as upstream's cacher: lists and watches are
 * served from here. Each resource keeps its objects in key order and a window of recent events; a watch from a
 * revision inside the window replays from it, an older one gets 410 Expired. Because one store watch feeds every
 * resource in revision order, the cache's revision says how fresh all of it is, which consistent reads wait for.
 */
public final class WatchCache implements ObjectCache, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WatchCache.class);
    public static final String ROOT = "/registry/";

    private final KeyValueStore store;
    private final int eventWindow;
    private final Map<String, ResourceCache> resources = new ConcurrentHashMap<>();
    private final Object revisionLock = new Object();
    private volatile long revision; // written under revisionLock, read without it on the fast paths
    private Watch storeWatch;
    private volatile StoreException failure;

    public WatchCache(KeyValueStore store, int eventWindow) {
        this.store = store;
        this.eventWindow = eventWindow;
    }

    /** Loads everything and starts following the store. */
    public void start() {
        long at = store.currentRevision();
        String after = null;
        while (true) {
            RangeRequest request = RangeRequest.prefix(ROOT).withLimit(1000).atRevision(at);
            RangeResult page = store.range(after == null ? request : request.startingAfter(after));
            for (KeyValue kv : page.items()) {
                cacheFor(kv.key()).load(kv.key(), cached(kv));
            }
            if (!page.more() || page.items().isEmpty()) {
                break;
            }
            after = page.items().get(page.items().size() - 1).key();
        }
        synchronized (revisionLock) {
            revision = at;
        }
        resources.values().forEach(cache -> cache.startWindowAt(at));
        storeWatch = store.watch(ROOT, at, new WatchListener() {
            @Override
            public void onEvents(List<WatchEvent> events) {
                apply(events);
            }

            @Override
            public void onError(StoreException error) {
                failure = error;
                LOG.error("the watch cache lost the store's watch: {}", error.getMessage());
            }
        });
    }

    private ResourceCache cacheFor(String key) {
        return resourceCache(ResourceDefinition.storagePrefixOf(key));
    }

    /** The cache of one resource (by storage prefix); a new one keeps events from the current revision on. */
    private ResourceCache resourceCache(String prefix) {
        return resources.computeIfAbsent(prefix, p -> {
            ResourceCache cache = new ResourceCache(eventWindow);
            cache.startWindowAt(currentRevision());
            return cache;
        });
    }

    private void apply(List<WatchEvent> events) {
        for (WatchEvent event : events) {
            String key = event.kv().key();
            ResourceCache cache = cacheFor(key);
            switch (event.type()) {
                // The object before the change is the one the cache holds, so the store's previous value is decoded
                // only for a delete, whose event carries the last state at the delete's revision.
                case PUT -> cache.apply(key, cached(event.kv()), false, event.revision());
                case DELETE -> {
                    if (event.previous() != null) {
                        ObjectNode last = ObjectStorage.decode(event.previous());
                        ObjectMeta.setResourceVersion(last, event.revision());
                        cache.apply(key, new CachedObject(last), true, event.revision());
                    }
                }
            }
        }
        synchronized (revisionLock) {
            revision = events.get(events.size() - 1).revision();
            revisionLock.notifyAll();
        }
    }

    /** A stored object as the cache keeps it: its JSON with the resourceVersion put in, parsed only if need be. */
    private static CachedObject cached(KeyValue kv) {
        byte[] json = StoredJson.withResourceVersion(kv.value(), kv.modRevision());
        return json != null ? new CachedObject(json, kv.modRevision()) : new CachedObject(ObjectStorage.decode(kv));
    }

    public long currentRevision() {
        return revision;
    }

    /** Waits until the cache has seen {@code wanted}; false if that takes longer than {@code timeout}. */
    @Override
    public boolean awaitRevision(long wanted, Duration timeout) {
        if (revision >= wanted) {
            return true; // caught up already: no lock
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (revisionLock) {
            while (revision < wanted) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || failure != null) {
                    return false;
                }
                try {
                    revisionLock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Waits until the cache holds every write the store has acknowledged, then returns its revision. */
    public long awaitFresh() {
        long wanted = store.currentRevision();
        if (!awaitRevision(wanted, Duration.ofSeconds(3))) {
            throw ApiException.timeout("Too large resource version: " + wanted + ", current: " + currentRevision());
        }
        return currentRevision();
    }

    @Override
    public Optional<ObjectNode> get(ResourceDefinition definition, String namespace, String name) {
        CachedObject cached = resourceCache(definition.storagePrefix()).get(definition.key(namespace, name));
        return cached == null ? Optional.empty() : Optional.of(cached.object());
    }

    @Override
    public List<ObjectNode> list(ResourceDefinition definition, String namespace) {
        return list(definition, namespace, Selector.EVERYTHING).items().stream().map(CachedObject::object).toList();
    }

    /** A consistent copy of the objects of a resource (in one namespace, or all) that match, in key order. */
    public Snapshot list(ResourceDefinition definition, String namespace, Selector selector) {
        ResourceCache cache = resourceCache(definition.storagePrefix());
        return cache.list(definition.prefix(namespace), selector, currentRevision());
    }

    /**
     * Watches a resource. With {@code afterRevision} < 0 the sink first gets an ADDED event for every current
     * object; otherwise every change after that revision.
     *
     * @throws ApiException 410 Expired when {@code afterRevision} is older than the kept window
     */
    public Runnable watch(ResourceDefinition definition, String namespace, Selector selector, long afterRevision,
                          boolean markInitialEventsEnd, WatchSink sink) {
        ResourceCache cache = resourceCache(definition.storagePrefix());
        return cache.watch(definition.prefix(namespace), selector, afterRevision, markInitialEventsEnd,
                currentRevision(), sink);
    }

    public int watcherCount() {
        return resources.values().stream().mapToInt(ResourceCache::watcherCount).sum();
    }

    @Override
    public void close() {
        if (storeWatch != null) {
            storeWatch.close();
        }
    }

    /** The objects listed and the cache revision they are consistent with. */
    public record Snapshot(List<CachedObject> items, long revision) {
    }

    /** One resource: its objects, its recent events, its watchers. All access under the instance lock. */
    private static final class ResourceCache {
        private final TreeMap<String, CachedObject> objects = new TreeMap<>();
        private final ArrayDeque<CacheEvent> window = new ArrayDeque<>();
        private final int capacity;
        private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
        /** Every event after this revision is in the window. */
        private long windowStart;
        private long lastApplied;

        ResourceCache(int capacity) {
            this.capacity = capacity;
        }

        synchronized void startWindowAt(long revision) {
            windowStart = Math.max(windowStart, revision);
        }

        synchronized void load(String key, CachedObject object) {
            objects.put(key, object);
        }

        synchronized CachedObject get(String key) {
            return objects.get(key);
        }

        synchronized int watcherCount() {
            return watchers.size();
        }

        synchronized void apply(String key, CachedObject object, boolean deleted, long revision) {
            CachedObject before = deleted ? objects.remove(key) : objects.put(key, object);
            CacheEvent.Type type = deleted ? CacheEvent.Type.DELETED
                    : before == null ? CacheEvent.Type.ADDED : CacheEvent.Type.MODIFIED;
            CacheEvent event = new CacheEvent(type, key, object, before, revision);
            lastApplied = event.revision();
            window.addLast(event);
            if (window.size() > capacity) {
                windowStart = window.removeFirst().revision();
            }
            for (Watcher watcher : watchers) {
                if (!watcher.deliver(event)) {
                    watchers.remove(watcher);
                }
            }
        }

        synchronized Snapshot list(String prefix, Selector selector, long revision) {
            List<CachedObject> items = new ArrayList<>();
            for (Map.Entry<String, CachedObject> entry : objects.tailMap(prefix, true).entrySet()) {
                if (!entry.getKey().startsWith(prefix)) {
                    break;
                }
                if (matches(selector, entry.getValue())) {
                    items.add(entry.getValue());
                }
            }
            // The cache-wide revision (read before this lock) advances only after a whole batch is applied, so
            // this resource may already hold later events; reporting the older revision would have a watch from it
            // replay them.
            return new Snapshot(items, Math.max(revision, lastApplied));
        }

        synchronized Runnable watch(String prefix, Selector selector, long afterRevision, boolean markEnd,
                                    long cacheRevision, WatchSink sink) {
            Watcher watcher = new Watcher(prefix, selector, sink);
            if (afterRevision < 0) {
                for (Map.Entry<String, CachedObject> entry : objects.tailMap(prefix, true).entrySet()) {
                    if (!entry.getKey().startsWith(prefix)) {
                        break;
                    }
                    CachedObject object = entry.getValue();
                    if (matches(selector, object)) {
                        sink.offer(new CacheEvent(CacheEvent.Type.ADDED, entry.getKey(), object, null,
                                object.resourceVersion()));
                    }
                }
                if (markEnd) {
                    sink.offer(new CacheEvent(CacheEvent.Type.BOOKMARK, "", null, null,
                            Math.max(cacheRevision, lastApplied)));
                }
            } else {
                if (afterRevision < windowStart) {
                    throw ApiException.expired("too old resource version: " + afterRevision + " (" + (windowStart + 1) + ")");
                }
                Iterator<CacheEvent> events = window.iterator();
                while (events.hasNext()) {
                    CacheEvent event = events.next();
                    if (event.revision() > afterRevision) {
                        watcher.deliver(event);
                    }
                }
            }
            watchers.add(watcher);
            return () -> watchers.remove(watcher);
        }
    }

    /** Selecting everything needs no tree (which may have to be parsed again). */
    private static boolean matches(Selector selector, CachedObject object) {
        return selector == Selector.EVERYTHING || selector.matches(object.object());
    }

    /** A registered watch: its filter, and how selector changes turn into ADDED or DELETED. */
    private record Watcher(String prefix, Selector selector, WatchSink sink) {

        boolean deliver(CacheEvent event) {
            if (!event.key().startsWith(prefix)) {
                return true;
            }
            boolean now = event.type() != CacheEvent.Type.DELETED && matches(selector, event.cached());
            boolean before = event.before() != null && matches(selector, event.before());
            CacheEvent visible;
            if (event.type() == CacheEvent.Type.DELETED) {
                visible = before ? event : null;
            } else if (now && before) {
                visible = event;
            } else if (now) {
                visible = new CacheEvent(CacheEvent.Type.ADDED, event.key(), event.cached(), null, event.revision());
            } else if (before) {
                visible = new CacheEvent(CacheEvent.Type.DELETED, event.key(), event.cached(), event.before(),
                        event.revision());
            } else {
                visible = null;
            }
            return visible == null || sink.offer(visible);
        }
    }
}

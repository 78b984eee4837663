package io.k4j.apiserver.crd;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.registry.ResourceRegistry;
import io.k4j.apiserver.registry.ResourceStrategy;
import io.k4j.apiserver.registry.Subresource;
import io.k4j.apiserver.selection.Selector;
import io.k4j.apiserver.storage.DeleteOptions;
import io.k4j.apiserver.storage.ObjectMeta;
import io.k4j.apiserver.storage.ObjectStorage;
import io.k4j.apiserver.watch.CachedObject;
import io.k4j.apiserver.watch.WatchCache;
import io.k4j.store.StoreException;
import io.k4j.store.Watch;
import io.k4j.store.WatchEvent;
import io.k4j.store.WatchListener;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The apiextensions part of the server: serves customresourcedefinitions and, like upstream's establishing,
 * naming and finalizer controllers, keeps the registry in step with them. A CRD that is created or changed gets
 * its served versions registered (discovery and routing see them at once), then NamesAccepted and Established
 * conditions, acceptedNames and storedVersions. A CRD being deleted has its custom resources deleted, then loses
 * the cleanup finalizer and goes, and its resource is unregistered. {@link #start} registers every stored CRD
 * before the server serves anything.
 */
public final class CustomResourceDefinitions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CustomResourceDefinitions.class);
    private static final String GROUP = "apiextensions.k8s.io";
    private static final Pattern KUBE_VERSION = Pattern.compile("v([1-9][0-9]*)(?:(alpha|beta)([1-9][0-9]*))?");

    /** apiextensions.k8s.io/v1 customresourcedefinitions. */
    public static final ResourceDefinition DEFINITION = new ResourceDefinition(GROUP, "v1",
            "CustomResourceDefinition", "customresourcedefinitions", "customresourcedefinition",
            List.of("crd", "crds"), List.of("api-extensions"), false, ResourceDefinition.ALL_VERBS,
            List.of(new Subresource("status", GROUP, "v1", "CustomResourceDefinition",
                    List.of("get", "patch", "update"))), null);

    private final ResourceRegistry registry;
    private final ObjectStorage storage;
    private final WatchCache cache;
    private final InstantSource clock;
    /** What each CRD (by name) has registered. */
    private final Map<String, List<ResourceDefinition>> served = new ConcurrentHashMap<>();
    private final Set<String> terminating = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "crd-controller");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Runnable unwatch = () -> { };

    public CustomResourceDefinitions(ResourceRegistry registry, ObjectStorage storage, WatchCache cache,
                                     InstantSource clock) {
        this.registry = registry;
        this.storage = storage;
        this.cache = cache;
        this.clock = clock;
    }

    /** Adds customresourcedefinitions to a registry. */
    public static void install(ResourceRegistry registry, InstantSource clock) {
        registry.register(DEFINITION, new CrdStrategy(clock));
    }

    /** Registers every stored CRD, then follows changes. */
    public void start() {
        cache.awaitFresh();
        WatchCache.Snapshot snapshot = cache.list(DEFINITION, "", Selector.EVERYTHING);
        for (CachedObject cached : snapshot.items()) {
            reconcileSafely(ObjectMeta.name(cached.object()));
        }
        // The store's own watch, not the cache's: this is no client watch (and not counted as one).
        String prefix = DEFINITION.storagePrefix();
        Watch watch = storage.store().watch(prefix, snapshot.revision(), new WatchListener() {
            @Override
            public void onEvents(List<WatchEvent> events) {
                for (WatchEvent event : events) {
                    String name = event.kv().key().substring(prefix.length());
                    worker.execute(() -> reconcileSafely(name));
                }
            }

            @Override
            public void onError(StoreException error) {
                LOG.error("the custom resource definition controller lost its watch: {}", error.getMessage());
            }
        });
        unwatch = watch::close;
    }

    @Override
    public void close() {
        unwatch.run();
        worker.shutdownNow();
    }

    private void reconcileSafely(String name) {
        try {
            reconcile(name);
        } catch (RuntimeException e) {
            LOG.warn("custom resource definition {}: {}; retrying", name, e.getMessage());
            worker.schedule(() -> reconcileSafely(name), 1, TimeUnit.SECONDS);
        }
    }

    private void reconcile(String name) {
        Optional<ObjectNode> found = storage.find(DEFINITION, "", name);
        if (found.isEmpty()) {
            terminating.remove(name);
            unserve(name, List.of());
            return;
        }
        ObjectNode crd = found.get();
        if (ObjectMeta.isDeleting(crd)) {
            terminating.add(name);
            cleanUp(crd);
            return;
        }
        terminating.remove(name);
        serve(crd);
    }

    /** Registers the served versions and marks the CRD accepted and established. */
    private void serve(ObjectNode crd) {
        String name = ObjectMeta.name(crd);
        List<ResourceDefinition> wanted = definitions(crd);
        String conflict = null;
        for (ResourceDefinition definition : wanted) {
            Optional<ResourceDefinition> existing = registry.find(definition.group(), definition.version(),
                    definition.plural());
            boolean ours = existing.isPresent() && registry.strategy(existing.get()) instanceof CustomResourceStrategy
                    own && own.crdName().equals(name);
            if (existing.isPresent() && !ours) {
                conflict = "\"" + definition.plural() + "\" is already in use";
            }
        }
        if (conflict == null) {
            for (ResourceDefinition definition : wanted) {
                JsonNode version = versionNamed(crd, definition.version());
                registry.register(definition, new CustomResourceStrategy(definition, name,
                        (ObjectNode) version.deepCopy(), CrdStrategy.storageVersion(crd),
                        () -> terminating.contains(name)));
            }
            unserve(name, wanted);
            served.put(name, wanted);
        }
        String problem = conflict;
        String now = ObjectMeta.timestamp(clock.instant());
        storage.update(DEFINITION, "", name, "status", current -> {
            ObjectNode status = Json.child(current, "status");
            if (problem != null) {
                CrdStrategy.setCondition(current, "NamesAccepted", "False", "PluralConflict", problem, now);
                CrdStrategy.setCondition(current, "Established", "False", "NotAccepted", "not all names are accepted",
                        now);
                return current;
            }
            CrdStrategy.setCondition(current, "NamesAccepted", "True", "NoConflicts", "no conflicts found", now);
            status.set("acceptedNames", current.path("spec").path("names").deepCopy());
            CrdStrategy.setCondition(current, "Established", "True", "InitialNamesAccepted",
                    "the initial names have been accepted", now);
            ArrayNode stored = CrdStrategy.array(status, "storedVersions");
            String storage = CrdStrategy.storageVersion(current);
            if (storage != null && !CrdStrategy.contains(stored, storage)) {
                stored.add(storage);
            }
            return current;
        }, false);
    }

    /** Unregisters what a CRD registered, except the definitions kept. */
    private void unserve(String name, List<ResourceDefinition> kept) {
        List<ResourceDefinition> previous = served.getOrDefault(name, List.of());
        for (ResourceDefinition definition : previous) {
            boolean stillServed = kept.stream().anyMatch(d -> d.group().equals(definition.group())
                    && d.version().equals(definition.version()) && d.plural().equals(definition.plural()));
            if (!stillServed) {
                registry.unregister(definition.group(), definition.version(), definition.plural());
            }
        }
        if (kept.isEmpty()) {
            served.remove(name);
        }
    }

    /** Deletes every custom resource of a CRD being deleted, then lets the CRD go. */
    private void cleanUp(ObjectNode crd) {
        String name = ObjectMeta.name(crd);
        String now = ObjectMeta.timestamp(clock.instant());
        List<ResourceDefinition> definitions = definitions(crd);
        if (!definitions.isEmpty()) {
            ResourceDefinition definition = definitions.get(0);
            storage.update(DEFINITION, "", name, "status", current -> {
                CrdStrategy.setCondition(current, "Terminating", "True", "InstanceDeletionInProgress",
                        "CustomResource deletion is in progress", now);
                return current;
            }, false);
            cache.awaitFresh();
            int left = 0;
            for (CachedObject cached : cache.list(definition, "", Selector.EVERYTHING).items()) {
                ObjectNode object = cached.object();
                try {
                    ObjectNode after = storage.delete(definition, ObjectMeta.namespace(object),
                            ObjectMeta.name(object), DeleteOptions.DEFAULT);
                    if (ObjectMeta.isDeleting(after) && ObjectMeta.hasFinalizers(after)) {
                        left++;
                    }
                } catch (ApiException e) {
                    if (e.code() != 404) {
                        throw e;
                    }
                }
            }
            if (left > 0) {
                String message = "could not confirm zero CustomResources remaining: " + left + " remaining";
                storage.update(DEFINITION, "", name, "status", current -> {
                    CrdStrategy.setCondition(current, "Terminating", "True", "InstanceDeletionCheck", message, now);
                    return current;
                }, false);
                worker.schedule(() -> reconcileSafely(name), 1, TimeUnit.SECONDS);
                return;
            }
        }
        storage.update(DEFINITION, "", name, "", current -> {
            ArrayNode finalizers = CrdStrategy.array(Json.metadata(current), "finalizers");
            for (int i = finalizers.size() - 1; i >= 0; i--) {
                if (CrdStrategy.CLEANUP_FINALIZER.equals(finalizers.get(i).asString(""))) {
                    finalizers.remove(i);
                }
            }
            if (finalizers.isEmpty()) {
                Json.metadata(current).remove("finalizers");
            }
            return current;
        }, false);
    }

    /** The resource definitions of a CRD's served versions, in upstream's version priority order. */
    static List<ResourceDefinition> definitions(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        JsonNode names = spec.path("names");
        String group = spec.path("group").asString("");
        String kind = names.path("kind").asString("");
        String plural = names.path("plural").asString("");
        String singular = names.path("singular").asString(kind.toLowerCase(Locale.ROOT));
        boolean namespaced = !"Cluster".equals(spec.path("scope").asString(""));
        List<String> shortNames = strings(names.path("shortNames"));
        List<String> categories = strings(names.path("categories"));
        List<String> versions = new ArrayList<>();
        for (JsonNode version : spec.path("versions")) {
            if (version.path("served").asBoolean(false)) {
                versions.add(version.path("name").asString(""));
            }
        }
        versions.sort(VERSION_PRIORITY);
        List<ResourceDefinition> definitions = new ArrayList<>();
        for (String versionName : versions) {
            JsonNode version = versionNamed(crd, versionName);
            List<Subresource> subresources = new ArrayList<>();
            if (version.path("subresources").path("status").isObject()) {
                subresources.add(new Subresource("status", group, versionName, kind, List.of("get", "patch", "update")));
            }
            if (version.path("subresources").path("scale").isObject()) {
                subresources.add(new Subresource("scale", "autoscaling", "v1", "Scale",
                        List.of("get", "patch", "update")));
            }
            definitions.add(new ResourceDefinition(group, versionName, kind, plural, singular, shortNames, categories,
                    namespaced, ResourceDefinition.ALL_VERBS, List.copyOf(subresources), null));
        }
        return definitions;
    }

    private static JsonNode versionNamed(JsonNode crd, String name) {
        for (JsonNode version : crd.path("spec").path("versions")) {
            if (name.equals(version.path("name").asString(""))) {
                return version;
            }
        }
        return Json.object();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString("")));
        return List.copyOf(values);
    }

    /**
     * Kubernetes' version order, highest first: GA before beta before alpha, then by major and minor number
     * descending; versions that are not "kube-like" last, alphabetically.
     */
    static final Comparator<String> VERSION_PRIORITY = (a, b) -> {
        Matcher ma = KUBE_VERSION.matcher(a);
        Matcher mb = KUBE_VERSION.matcher(b);
        boolean ka = ma.matches();
        boolean kb = mb.matches();
        if (!ka || !kb) {
            return ka ? -1 : kb ? 1 : a.compareTo(b);
        }
        int stabilityA = stability(ma.group(2));
        int stabilityB = stability(mb.group(2));
        if (stabilityA != stabilityB) {
            return Integer.compare(stabilityB, stabilityA);
        }
        int major = Long.compare(Long.parseLong(mb.group(1)), Long.parseLong(ma.group(1)));
        if (major != 0) {
            return major;
        }
        long minorA = ma.group(3) == null ? 0 : Long.parseLong(ma.group(3));
        long minorB = mb.group(3) == null ? 0 : Long.parseLong(mb.group(3));
        return Long.compare(minorB, minorA);
    };

    private static int stability(String suffix) {
        return suffix == null ? 2 : suffix.equals("beta") ? 1 : 0;
    }

    /** The strategy serving a custom resource, if the definition is one. */
    static Optional<CustomResourceStrategy> strategyOf(ResourceRegistry registry, ResourceDefinition definition) {
        ResourceStrategy strategy = registry.strategy(definition);
        return strategy instanceof CustomResourceStrategy custom ? Optional.of(custom) : Optional.empty();
    }
}

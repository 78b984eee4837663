package io.k4j.apiserver.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every resource the server serves, looked up by group, version and plural. Custom resources come and go while
 * the server runs: writers are serialized, readers see each change at once without locking.
 */
public final class ResourceRegistry {

    private final List<ResourceDefinition> definitions = new CopyOnWriteArrayList<>();
    private final Map<String, ResourceStrategy> strategies = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();

    public static ResourceRegistry withBuiltins() {
        ResourceRegistry registry = new ResourceRegistry();
        for (ResourceDefinition definition : BuiltinResources.definitions()) {
            registry.register(definition, BuiltinStrategies.forKind(definition.group(), definition.kind()));
        }
        return registry;
    }

    /** Adds a resource, or replaces the one with the same group, version and plural. */
    public synchronized void register(ResourceDefinition definition, ResourceStrategy strategy) {
        String id = id(definition.group(), definition.version(), definition.plural());
        strategies.put(id, strategy);
        changes.incrementAndGet();
        for (int i = 0; i < definitions.size(); i++) {
            ResourceDefinition existing = definitions.get(i);
            if (id(existing.group(), existing.version(), existing.plural()).equals(id)) {
                definitions.set(i, definition);
                return;
            }
        }
        definitions.add(definition);
    }

    /** Stops serving a resource; false if it was not served. */
    public synchronized boolean unregister(String group, String version, String plural) {
        Optional<ResourceDefinition> found = find(group, version, plural);
        found.ifPresent(definition -> {
            definitions.remove(definition);
            strategies.remove(id(group, version, plural));
            changes.incrementAndGet();
        });
        return found.isPresent();
    }

    /** Counts registrations and removals: anything derived from the registry is stale once this moves. */
    public long changes() {
        return changes.get();
    }

    private static String id(String group, String version, String plural) {
        return group + "/" + version + "/" + plural;
    }

    public Optional<ResourceDefinition> find(String group, String version, String plural) {
        for (ResourceDefinition definition : definitions) {
            if (definition.group().equals(group) && definition.version().equals(version)
                    && definition.plural().equals(plural)) {
                return Optional.of(definition);
            }
        }
        return Optional.empty();
    }

    public ResourceDefinition require(String group, String version, String plural) {
        return find(group, version, plural).orElseThrow(() -> new IllegalArgumentException(
                "no resource " + plural + " in " + group + "/" + version));
    }

    public ResourceStrategy strategy(ResourceDefinition definition) {
        return strategies.getOrDefault(id(definition.group(), definition.version(), definition.plural()),
                ResourceStrategy.DEFAULT);
    }

    public List<ResourceDefinition> all() {
        return List.copyOf(definitions);
    }

    /** Groups in serving order, each with its versions, preferred version first. */
    public Map<String, List<String>> groupVersions() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (ResourceDefinition definition : definitions) {
            List<String> versions = groups.computeIfAbsent(definition.group(), group -> new ArrayList<>());
            if (!versions.contains(definition.version())) {
                versions.add(definition.version());
            }
        }
        return groups;
    }

    public List<ResourceDefinition> inGroupVersion(String group, String version) {
        return definitions.stream().filter(d -> d.group().equals(group) && d.version().equals(version)).toList();
    }
}

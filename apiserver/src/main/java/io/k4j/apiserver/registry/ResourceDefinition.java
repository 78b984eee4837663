package io.k4j.apiserver.registry;

import java.util.List;
import java.util.Optional;

/**
 * What the API server knows about one resource of one group version: names, scope, verbs, subresources. One
 * definition drives discovery, routing, storage keys and table output; the behaviour lives in its
 * {@link ResourceStrategy}.
 *
 * @param storageResource the resource whose storage this one shares (another version of it), or null
 */
public record ResourceDefinition(String group, String version, String kind, String plural, String singular,
                                 List<String> shortNames, List<String> categories, boolean namespaced,
                                 List<String> verbs, List<Subresource> subresources, String storageResource) {

    public static final List<String> ALL_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    /**
     * Group, version and resource name tell definitions apart; the record's own hash walked every list too, on
     * every request that looks a definition up in a map (the schema and strategy caches).
     */
    @Override
    public int hashCode() {
        return (group.hashCode() * 31 + version.hashCode()) * 31 + plural.hashCode();
    }

    /** "v1" for the core group, "apps/v1" otherwise. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public String listKind() {
        return kind + "List";
    }

    /** Where objects of this resource live in the store; versions of one resource share it. */
    public String storagePrefix() {
        String resource = storageResource != null ? storageResource : plural;
        return "/registry/" + (group.isEmpty() ? "core" : group) + "/" + resource + "/";
    }

    /** The storage prefix of the resource a key belongs to: "/registry/core/pods/ns/name" gives "/registry/core/pods/". */
    public static String storagePrefixOf(String key) {
        int groupEnd = key.indexOf('/', "/registry/".length());
        int resourceEnd = key.indexOf('/', groupEnd + 1);
        return key.substring(0, resourceEnd + 1);
    }

    public String key(String namespace, String name) {
        return namespaced ? storagePrefix() + namespace + "/" + name : storagePrefix() + name;
    }

    /** The prefix holding one namespace's objects, or all of them for an empty namespace. */
    public String prefix(String namespace) {
        return namespaced && namespace != null && !namespace.isEmpty() ? storagePrefix() + namespace + "/" : storagePrefix();
    }

    public Optional<Subresource> subresource(String name) {
        return subresources.stream().filter(sub -> sub.name().equals(name)).findFirst();
    }

    public boolean hasStatus() {
        return subresource("status").isPresent();
    }
}

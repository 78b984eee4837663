package io.k4j.apiserver.schema;

import java.util.Map;
import java.util.Optional;

/**
 * Upstream's merge semantics for the fields of built-in kinds, keyed by the fabric8 model class that holds the field
 * (the counterpart of the Go struct that carries the tags) and the field's JSON name. Strategic merge patch, server-side
 * apply and the OpenAPI documents all read this one table.
 */
public final class FieldSemantics {

    /** owner class → JSON field name → list semantics. */
    private static final Map<Class<?>, Map<String, ListSemantics>> LISTS = Map.of();

    /** owner class → JSON field names whose struct value has patchStrategy retainKeys. */
    private static final Map<Class<?>, java.util.Set<String>> RETAIN_KEYS_STRUCTS = Map.of();

    private FieldSemantics() {
    }

    /** The semantics of list field {@code jsonName} of {@code owner}, when upstream declares any. */
    public static Optional<ListSemantics> list(Class<?> owner, String jsonName) {
        return Optional.ofNullable(LISTS.getOrDefault(owner, Map.of()).get(jsonName));
    }

    /** Whether struct field {@code jsonName} of {@code owner} is tagged patchStrategy:"retainKeys". */
    public static boolean retainsKeys(Class<?> owner, String jsonName) {
        return RETAIN_KEYS_STRUCTS.getOrDefault(owner, java.util.Set.of()).contains(jsonName);
    }
}

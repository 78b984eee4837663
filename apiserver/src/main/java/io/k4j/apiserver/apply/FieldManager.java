package io.k4j.apiserver.apply;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.storage.ObjectMeta;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Field ownership as upstream's field manager keeps it in {@code metadata.managedFields}: every write records
 * what it changed for its manager (operation Update, the last writer takes the fields over), and server-side
 * apply merges a configuration into the live object, refuses to change fields other managers own unless forced,
 * and removes the fields its manager applied before and no longer applies, unless someone else owns them.
 */
public final class FieldManager {

    private static final FieldManager DEFAULT = new FieldManager(Schemas.defaults());

    /** Metadata the server owns, never tracked (upstream strips these from every field set). */
    private static final List<String> SERVER_METADATA = List.of("name", "namespace", "uid", "resourceVersion",
            "creationTimestamp", "selfLink", "generation", "managedFields", "deletionTimestamp",
            "deletionGracePeriodSeconds");
    /** The paths a write never owns: apiVersion, kind and the server's metadata (and status, on the main resource). */
    private static final List<List<PathElement>> SERVER_OWNED = serverOwned(false);
    private static final List<List<PathElement>> SERVER_OWNED_AND_STATUS = serverOwned(true);

    private final Schemas schemas;

    public FieldManager(Schemas schemas) {
        this.schemas = schemas;
    }

    public static FieldManager defaults() {
        return DEFAULT;
    }

    /** Upstream's default manager name: the User-Agent up to its first slash, printable characters, at most 128. */
    public static String managerFromUserAgent(String userAgent) {
        if (userAgent == null) {
            return "";
        }
        String prefix = userAgent.split("/", -1)[0];
        StringBuilder out = new StringBuilder();
        prefix.codePoints().filter(cp -> !Character.isISOControl(cp) && Character.isDefined(cp)).forEach(cp -> {
            if (out.length() + Character.charCount(cp) <= 128) {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    // ---- Update

    /**
     * Records a non-apply write in {@code updated}'s managedFields: {@code manager} takes every field the write
     * added or changed, and fields the write removed leave every manager.
     *
     * @param old the object before the write, or null for a create
     */
    public void update(ResourceDefinition definition, String subresource, ObjectNode old, ObjectNode updated,
                       String manager, Instant now) {
        String sub = subresource == null ? "" : subresource;
        JsonNode given = updated.path("metadata").get("managedFields");
        List<ManagedFields.Entry> entries = null;
        if (sub.isEmpty() && isReset(given)) {
            entries = new ArrayList<>(); // reset first; this write's own changes are still recorded below
        } else if (sub.isEmpty() && given != null && given.isArray() && !given.isEmpty()) {
            entries = decodeOrNull(given);
        }
        if (entries == null) {
            entries = old == null ? new ArrayList<>() : decodeOrEmpty(old.path("metadata").get("managedFields"));
        }
        TypeNode type = schemas.forKind(definition.apiVersion(), definition.kind());
        Structured.Comparison comparison = Structured.compare(viewWithoutManagedFields(old),
                viewWithoutManagedFields(updated), type);
        FieldSet changed = scope(comparison.changed(), definition, sub);
        FieldSet removed = scope(comparison.removed(), definition, sub);
        ManagedFields.Entry self = null;
        for (ManagedFields.Entry entry : entries) {
            entry.fields = entry.fields.difference(removed).difference(changed);
            if (entry.sameOwner(manager, ManagedFields.UPDATE, definition.apiVersion(), sub)) {
                self = entry;
            }
        }
        if (!changed.isEmpty()) {
            String time = ObjectMeta.timestamp(now);
            if (self == null) {
                entries.add(new ManagedFields.Entry(manager, ManagedFields.UPDATE, definition.apiVersion(), time,
                        changed, sub));
            } else {
                self.fields = self.fields.union(changed);
                self.time = time;
            }
        }
        ManagedFields.store(updated, entries);
    }

    /** {@code [{}]}: a client asking to clear managedFields (an empty list keeps them, as upstream). */
    private static boolean isReset(JsonNode given) {
        if (given == null || !given.isArray() || given.isEmpty()) {
            return false;
        }
        for (JsonNode entry : given) {
            if (!entry.isObject() || !entry.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    // ---- Apply

    /**
     * Server-side apply: the live object (null when it does not exist yet) with {@code config} merged in, the
     * fields {@code manager} no longer applies removed, and managedFields updated. Throws a 409 listing the
     * conflicts when the apply would change fields other managers own and {@code force} is false.
     */
    public ObjectNode apply(ResourceDefinition definition, String subresource, ObjectNode live, ObjectNode config,
                            String manager, boolean force, Instant now) {
        String sub = subresource == null ? "" : subresource;
        JsonNode configManaged = config.path("metadata").get("managedFields");
        if (configManaged != null && !configManaged.isNull()) {
            throw ApiException.badRequest("metadata.managedFields must be nil");
        }
        TypeNode type = schemas.forKind(definition.apiVersion(), definition.kind());
        List<ManagedFields.Entry> entries = live == null ? new ArrayList<>()
                : decodeOrEmpty(live.path("metadata").get("managedFields"));
        ObjectNode before = live == null ? Json.object() : withoutManagedFields(live);
        ObjectNode applied = config.deepCopy();
        if (sub.isEmpty() && definition.hasStatus()) {
            applied.remove("status");
        }
        ObjectNode merged = (ObjectNode) Structured.merge(before, applied, type);
        FieldSet appliedSet = scope(Structured.fieldSet(applied, type), definition, sub);

        ManagedFields.Entry self = null;
        FieldSet others = new FieldSet();
        for (ManagedFields.Entry entry : entries) {
            if (entry.sameOwner(manager, ManagedFields.APPLY, definition.apiVersion(), sub)) {
                self = entry;
            } else {
                others = others.union(entry.fields);
            }
        }
        FieldSet lastSet = self == null ? new FieldSet() : self.fields;
        if (!lastSet.isEmpty()) {
            FieldSet prune = lastSet.withNamedFieldsAsMembers()
                    .difference(appliedSet.withNamedFieldsAsMembers())
                    .difference(others.withNamedFieldsAsMembers());
            Structured.removeItems(merged, type, scope(prune, definition, sub));
        }

        Structured.Comparison comparison = Structured.compare(before, merged, type);
        FieldSet changed = scope(comparison.changed(), definition, sub);
        FieldSet removed = scope(comparison.removed(), definition, sub);
        List<Conflict> conflicts = new ArrayList<>();
        for (ManagedFields.Entry entry : entries) {
            if (entry == self) {
                continue;
            }
            FieldSet taken = entry.fields.intersection(changed);
            taken.forEachPath(path -> conflicts.add(new Conflict(entry, path)));
        }
        if (!force && !conflicts.isEmpty()) {
            throw conflictError(conflicts);
        }
        for (ManagedFields.Entry entry : entries) {
            if (entry != self) {
                entry.fields = entry.fields.difference(changed).difference(removed);
            }
        }
        boolean noop = comparison.isEmpty() && conflicts.isEmpty() && self != null && lastSet.equals(appliedSet);
        if (self == null) {
            entries.add(new ManagedFields.Entry(manager, ManagedFields.APPLY, definition.apiVersion(),
                    ObjectMeta.timestamp(now), appliedSet, sub));
        } else {
            self.fields = appliedSet;
            if (!noop) {
                self.time = ObjectMeta.timestamp(now);
            }
        }
        if (noop && live != null && live.path("metadata").has("managedFields")) {
            Json.metadata(merged).set("managedFields", live.path("metadata").get("managedFields").deepCopy());
        } else {
            ManagedFields.store(merged, entries);
        }
        // the applied resourceVersion, if any, is a precondition; the live one is not
        String wanted = ObjectMeta.resourceVersion(config);
        if (wanted.isEmpty()) {
            Json.metadata(merged).remove("resourceVersion");
        } else {
            Json.metadata(merged).put("resourceVersion", wanted);
        }
        return merged;
    }

    private record Conflict(ManagedFields.Entry entry, List<PathElement> path) {
    }

    /** Upstream's apply conflict: 409 with one FieldManagerConflict cause per field. */
    private static ApiException conflictError(List<Conflict> conflicts) {
        List<Conflict> sorted = new ArrayList<>(conflicts);
        sorted.sort(Comparator.comparing((Conflict c) -> c.entry().manager()));
        List<ApiException.Cause> causes = new ArrayList<>();
        for (Conflict conflict : sorted) {
            causes.add(new ApiException.Cause("FieldManagerConflict", "conflict with " + conflict.entry().describe(),
                    FieldSet.display(conflict.path())));
        }
        String message;
        if (sorted.size() == 1) {
            message = "Apply failed with 1 conflict: conflict with " + sorted.getFirst().entry().describe() + ": "
                    + FieldSet.display(sorted.getFirst().path());
        } else {
            StringBuilder text = new StringBuilder();
            ManagedFields.Entry current = null;
            for (Conflict conflict : sorted) {
                if (conflict.entry() != current) {
                    current = conflict.entry();
                    if (!text.isEmpty()) {
                        text.append('\n');
                    }
                    text.append("conflicts with ").append(current.describe()).append(':');
                }
                text.append("\n- ").append(FieldSet.display(conflict.path()));
            }
            message = "Apply failed with " + sorted.size() + " conflicts: " + text;
        }
        return new ApiException(409, "Conflict", message, new ApiException.Details(null, null, null, causes), 0);
    }

    // ---- helpers

    /** The part of a field set a write to this (sub)resource may own: no server metadata, status kept apart. */
    private static FieldSet scope(FieldSet set, ResourceDefinition definition, String subresource) {
        List<List<PathElement>> serverOwned = subresource.isEmpty() && definition.hasStatus()
                ? SERVER_OWNED_AND_STATUS : SERVER_OWNED;
        FieldSet out = set.withoutTrees(serverOwned).difference(FieldSet.of(List.of(List.of(PathElement.field("metadata")))));
        if (subresource.equals("status")) {
            return out.onlyTree(List.of(PathElement.field("status")));
        }
        return out;
    }

    private static ObjectNode withoutManagedFields(ObjectNode object) {
        if (object == null) {
            return null;
        }
        ObjectNode copy = object.deepCopy();
        if (copy.get("metadata") instanceof ObjectNode metadata) {
            metadata.remove("managedFields");
        }
        return copy;
    }

    /**
     * The object without managedFields, for reading only: it shares every other node with the object, so each
     * write copies the top level and metadata instead of the old and the new object entirely.
     */
    private static List<List<PathElement>> serverOwned(boolean withStatus) {
        List<List<PathElement>> paths = new ArrayList<>();
        paths.add(List.of(PathElement.field("apiVersion")));
        paths.add(List.of(PathElement.field("kind")));
        for (String field : SERVER_METADATA) {
            paths.add(List.of(PathElement.field("metadata"), PathElement.field(field)));
        }
        if (withStatus) {
            paths.add(List.of(PathElement.field("status")));
        }
        return List.copyOf(paths);
    }

    private static ObjectNode viewWithoutManagedFields(ObjectNode object) {
        if (object == null || !(object.get("metadata") instanceof ObjectNode metadata) || !metadata.has("managedFields")) {
            return object;
        }
        ObjectNode view = Json.object();
        view.setAll(object);
        ObjectNode metadataView = Json.object();
        metadataView.setAll(metadata);
        metadataView.remove("managedFields");
        view.set("metadata", metadataView);
        return view;
    }

    private static List<ManagedFields.Entry> decodeOrNull(JsonNode managedFields) {
        try {
            return ManagedFields.decode(managedFields);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static List<ManagedFields.Entry> decodeOrEmpty(JsonNode managedFields) {
        List<ManagedFields.Entry> entries = decodeOrNull(managedFields);
        return entries == null ? new ArrayList<>() : entries;
    }
}

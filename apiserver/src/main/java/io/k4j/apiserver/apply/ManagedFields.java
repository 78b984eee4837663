package io.k4j.apiserver.apply;

import io.k4j.apiserver.api.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The {@code metadata.managedFields} of an object: one entry per manager, operation and subresource. */
public final class ManagedFields {

    public static final String APPLY = "Apply";
    public static final String UPDATE = "Update";

    /** One managedFields entry with its field set. */
    public static final class Entry {
        final String manager;
        final String operation;
        final String apiVersion;
        String time;
        FieldSet fields;
        final String subresource;

        public Entry(String manager, String operation, String apiVersion, String time, FieldSet fields,
                     String subresource) {
            this.manager = manager;
            this.operation = operation;
            this.apiVersion = apiVersion;
            this.time = time;
            this.fields = fields;
            this.subresource = subresource == null ? "" : subresource;
        }

        public String manager() {
            return manager;
        }

        public String operation() {
            return operation;
        }

        public String apiVersion() {
            return apiVersion;
        }

        public String subresource() {
            return subresource;
        }

        public FieldSet fields() {
            return fields;
        }

        public String time() {
            return time;
        }

        /** Whether this entry is the one of this manager, operation, subresource (and, for updates, version). */
        boolean sameOwner(String otherManager, String otherOperation, String otherApiVersion, String otherSubresource) {
            return manager.equals(otherManager) && operation.equals(otherOperation)
                    && subresource.equals(otherSubresource == null ? "" : otherSubresource)
                    && (operation.equals(APPLY) || Objects.equals(apiVersion, otherApiVersion));
        }

        /** As upstream names a manager in conflicts. */
        String describe() {
            String name = "\"" + manager + "\"";
            if (!subresource.isEmpty()) {
                name += " with subresource \"" + subresource + "\"";
            }
            return operation.equals(UPDATE) ? name + " using " + apiVersion : name;
        }

        ObjectNode toJson() {
            ObjectNode out = Json.object();
            out.put("manager", manager);
            out.put("operation", operation);
            out.put("apiVersion", apiVersion);
            if (time != null) {
                out.put("time", time);
            }
            out.put("fieldsType", "FieldsV1");
            out.set("fieldsV1", fields.toJson());
            if (!subresource.isEmpty()) {
                out.put("subresource", subresource);
            }
            return out;
        }
    }

    private ManagedFields() {
    }

    /** The entries of an object's managedFields; throws IllegalArgumentException when they do not parse. */
    public static List<Entry> decode(JsonNode managedFields) {
        List<Entry> out = new ArrayList<>();
        if (managedFields == null || managedFields.isNull() || managedFields.isMissingNode()) {
            return out;
        }
        if (!managedFields.isArray()) {
            throw new IllegalArgumentException("managedFields must be a list");
        }
        for (JsonNode item : managedFields) {
            String operation = item.path("operation").asString("");
            if (!operation.equals(APPLY) && !operation.equals(UPDATE)) {
                throw new IllegalArgumentException("operation must be `Apply` or `Update`");
            }
            String fieldsType = item.path("fieldsType").asString("");
            if (!fieldsType.equals("FieldsV1")) {
                throw new IllegalArgumentException("fieldsType must be FieldsV1");
            }
            FieldSet fields = item.has("fieldsV1") ? FieldSet.fromJson(item.get("fieldsV1")) : new FieldSet();
            String time = item.path("time").isString() ? item.get("time").asString() : null;
            Entry entry = new Entry(item.path("manager").asString(""), operation, item.path("apiVersion").asString(""),
                    time, fields, item.path("subresource").asString(""));
            for (Entry seen : out) {
                if (seen.sameOwner(entry.manager, entry.operation, entry.apiVersion, entry.subresource)) {
                    throw new IllegalArgumentException("duplicate manager " + entry.manager);
                }
            }
            out.add(entry);
        }
        return out;
    }

    /** The entries as upstream writes them: empty ones dropped, sorted by operation, time, manager, version. */
    public static ArrayNode encode(List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries.stream().filter(e -> !e.fields.isEmpty()).toList());
        sorted.sort(Comparator.comparing((Entry e) -> e.operation)
                .thenComparing(e -> e.time == null ? "" : e.time)
                .thenComparing(e -> e.manager)
                .thenComparing(e -> e.apiVersion)
                .thenComparing(e -> e.subresource));
        ArrayNode out = Json.array();
        sorted.forEach(e -> out.add(e.toJson()));
        return out;
    }

    /** Sets the object's managedFields, or removes them when there are none. */
    public static void store(ObjectNode object, List<Entry> entries) {
        ArrayNode encoded = encode(entries);
        if (encoded.isEmpty()) {
            Json.metadata(object).remove("managedFields");
        } else {
            Json.metadata(object).set("managedFields", encoded);
        }
    }
}

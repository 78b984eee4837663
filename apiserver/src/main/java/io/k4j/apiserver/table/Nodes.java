package io.k4j.apiserver.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Null-safe reads from JSON trees: a missing field reads as "", 0, false or an empty list, never an error. */
final class Nodes {

    private Nodes() {
    }

    /** The node at a path; a missing node (never null) when any step is absent. */
    static JsonNode at(JsonNode node, String... path) {
        JsonNode current = node;
        for (String field : path) {
            current = current.path(field);
        }
        return current;
    }

    /** The text at a path, or null when it is missing or not text. */
    static String text(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return value.isString() ? value.asString() : null;
    }

    /** The text at a path, or {@code fallback} when it is missing or empty. */
    static String textOr(JsonNode node, String fallback, String... path) {
        String value = text(node, path);
        return value == null || value.isEmpty() ? fallback : value;
    }

    /** The text at a path, or "" when missing. */
    static String string(JsonNode node, String... path) {
        return textOr(node, "", path);
    }

    static long number(JsonNode node, String... path) {
        return numberOr(node, 0, path);
    }

    static long numberOr(JsonNode node, long fallback, String... path) {
        JsonNode value = at(node, path);
        return value.isNumber() ? value.asLong() : fallback;
    }

    static boolean isTrue(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return value.isBoolean() && value.booleanValue();
    }

    /** Whether the path holds an object, as Go's non-nil pointer to a struct. */
    static boolean present(JsonNode node, String... path) {
        return at(node, path).isObject();
    }

    /** The elements of the array at a path (empty when missing). */
    static List<JsonNode> items(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        List<JsonNode> items = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(items::add);
        }
        return items;
    }

    /** The number of elements or fields of the array or object at a path. */
    static int size(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return value.isArray() || value.isObject() ? value.size() : 0;
    }

    /** Whether the first condition of this type in {@code status.conditions} is True. */
    static boolean conditionTrue(JsonNode status, String type) {
        for (JsonNode condition : items(status, "conditions")) {
            if (type.equals(string(condition, "type"))) {
                return "True".equals(string(condition, "status"));
            }
        }
        return false;
    }

    static Instant instant(JsonNode node, String... path) {
        return Ages.parse(text(node, path));
    }

    static String name(JsonNode object) {
        return string(object, "metadata", "name");
    }

    static boolean deleting(JsonNode object) {
        return text(object, "metadata", "deletionTimestamp") != null;
    }

    /** The text of a Quantity ("10Gi"), or "0" for a missing one, as an unset Quantity prints. */
    static String quantity(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        if (value.isString() && !value.asString().isEmpty()) {
            return value.asString();
        }
        return value.isNumber() ? value.asString() : "0";
    }

    /** An IntOrString: the number or the text ("50%"). */
    static String intOrString(JsonNode value) {
        return value.isNumber() ? String.valueOf(value.asLong()) : value.asString("");
    }
}

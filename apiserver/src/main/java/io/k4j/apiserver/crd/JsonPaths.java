package io.k4j.apiserver.crd;

import io.k4j.apiserver.api.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simple JSONPath of printer columns and scale paths: {@code .spec.replicas}, {@code .status.items[0].name},
 * {@code .status.conditions[?(@.type=="Ready")].status}, optionally wrapped in braces. One result at most.
 */
public final class JsonPaths {

    private JsonPaths() {
    }

    /** One step: a field, an index, or a filter on a field's value. */
    record Step(String field, int index, String filterKey, String filterValue) {
    }

    static List<Step> parse(String path) {
        String text = path.trim();
        if (text.startsWith("{") && text.endsWith("}")) {
            text = text.substring(1, text.length() - 1).trim();
        }
        List<Step> steps = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < text.length() && text.charAt(end) != '.' && text.charAt(end) != '[') {
                    end++;
                }
                if (end > i + 1) {
                    steps.add(new Step(text.substring(i + 1, end), -1, null, null));
                }
                i = end;
            } else if (c == '[') {
                int end = text.indexOf(']', i);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed [ in " + path);
                }
                String inside = text.substring(i + 1, end).trim();
                if (inside.startsWith("?(@.") && inside.endsWith(")")) {
                    String condition = inside.substring(4, inside.length() - 1);
                    int eq = condition.indexOf("==");
                    if (eq < 0) {
                        throw new IllegalArgumentException("unsupported filter in " + path);
                    }
                    String value = condition.substring(eq + 2).trim();
                    if (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'"))) {
                        value = value.substring(1, value.length() - 1);
                    }
                    steps.add(new Step(null, -1, condition.substring(0, eq).trim(), value));
                } else if (inside.startsWith("'") || inside.startsWith("\"")) {
                    steps.add(new Step(inside.substring(1, inside.length() - 1), -1, null, null));
                } else {
                    try {
                        steps.add(new Step(null, Integer.parseInt(inside), null, null));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("unsupported index [" + inside + "] in " + path);
                    }
                }
                i = end + 1;
            } else {
                throw new IllegalArgumentException("unexpected '" + c + "' in " + path);
            }
        }
        return steps;
    }

    /** Whether a path is one this class can follow. */
    public static boolean isValid(String path) {
        try {
            return !parse(path).isEmpty();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The value at a path, or null when any step is missing. */
    public static JsonNode get(JsonNode root, String path) {
        JsonNode current = root;
        for (Step step : parse(path)) {
            if (current == null) {
                return null;
            }
            if (step.field() != null) {
                current = current.isObject() ? current.get(step.field()) : null;
            } else if (step.filterKey() != null) {
                JsonNode match = null;
                if (current.isArray()) {
                    for (JsonNode item : current) {
                        JsonNode value = item.get(step.filterKey());
                        if (value != null && !value.isContainer() && value.asString("").equals(step.filterValue())) {
                            match = item;
                            break;
                        }
                    }
                }
                current = match;
            } else {
                int index = step.index() < 0 && current.isArray() ? current.size() + step.index() : step.index();
                current = current.isArray() && index >= 0 && index < current.size() ? current.get(index) : null;
            }
        }
        return current == null || current.isMissingNode() ? null : current;
    }

    /** Sets the value at a path of fields (and existing indexes), creating missing objects on the way. */
    public static void set(ObjectNode root, String path, JsonNode value) {
        List<Step> steps = parse(path);
        JsonNode current = root;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            boolean last = i == steps.size() - 1;
            if (step.field() != null && current instanceof ObjectNode object) {
                if (last) {
                    object.set(step.field(), value);
                    return;
                }
                JsonNode next = object.get(step.field());
                if (next == null || !next.isContainer()) {
                    next = steps.get(i + 1).field() != null ? Json.child(object, step.field()) : object.putArray(step.field());
                }
                current = next;
            } else if (step.index() >= 0 && current instanceof ArrayNode array && step.index() < array.size()) {
                if (last) {
                    array.set(step.index(), value);
                    return;
                }
                current = array.get(step.index());
            } else {
                throw new IllegalArgumentException("cannot set " + path);
            }
        }
    }
}

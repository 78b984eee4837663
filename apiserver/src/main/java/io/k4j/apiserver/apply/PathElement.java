package io.k4j.apiserver.apply;

import io.k4j.apiserver.api.Json;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One step of a field path, as structured-merge-diff names them in FieldsV1: a field of an object ({@code f:name}),
 * the element of an associative list with the given key fields ({@code k:{"name":"app"}}), the element of a set
 * list with a value ({@code v:"a"}), or a position ({@code i:0}). Elements order as upstream's: fields, keys,
 * values, indexes.
 */
public sealed interface PathElement extends Comparable<PathElement> {

    /** A field of an object or a key of a map. */
    record Field(String name) implements PathElement {
    }

    /** An element of an associative list, identified by its key fields (kept sorted by name). */
    record Key(TreeMap<String, JsonNode> fields) implements PathElement {
    }

    /** An element of a set list, identified by its scalar value. */
    record Value(JsonNode value) implements PathElement {
    }

    /** An element of a list by position. */
    record Index(int index) implements PathElement {
    }

    static PathElement field(String name) {
        return new Field(name);
    }

    static PathElement key(Map<String, JsonNode> fields) {
        return new Key(new TreeMap<>(fields));
    }

    private int rank() {
        return switch (this) {
            case Field f -> 0;
            case Key k -> 1;
            case Value v -> 2;
            case Index i -> 3;
        };
    }

    @Override
    default int compareTo(PathElement other) {
        int byRank = Integer.compare(rank(), other.rank());
        if (byRank != 0) {
            return byRank;
        }
        return switch (this) {
            case Field f -> f.name().compareTo(((Field) other).name());
            case Key k -> compareKeys(k.fields(), ((Key) other).fields());
            case Value v -> compareValues(v.value(), ((Value) other).value());
            case Index i -> Integer.compare(i.index(), ((Index) other).index());
        };
    }

    private static int compareKeys(TreeMap<String, JsonNode> a, TreeMap<String, JsonNode> b) {
        var left = a.entrySet().iterator();
        var right = b.entrySet().iterator();
        while (true) {
            if (!left.hasNext() || !right.hasNext()) {
                return Boolean.compare(left.hasNext(), right.hasNext());
            }
            var l = left.next();
            var r = right.next();
            int c = l.getKey().compareTo(r.getKey());
            if (c == 0) {
                c = compareValues(l.getValue(), r.getValue());
            }
            if (c != 0) {
                return c;
            }
        }
    }

    /** A total order on JSON values: numbers, strings, booleans, lists, maps, null. */
    static int compareValues(JsonNode a, JsonNode b) {
        int byType = Integer.compare(typeRank(a), typeRank(b));
        if (byType != 0) {
            return byType;
        }
        if (a.isNumber()) {
            return a.isIntegralNumber() && b.isIntegralNumber() ? a.bigIntegerValue().compareTo(b.bigIntegerValue())
                    : Double.compare(a.asDouble(), b.asDouble());
        }
        if (a.isString()) {
            return a.asString().compareTo(b.asString());
        }
        if (a.isBoolean()) {
            return Boolean.compare(a.asBoolean(), b.asBoolean());
        }
        if (a.isArray()) {
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                int c = compareValues(a.get(i), b.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(a.size(), b.size());
        }
        if (a.isObject()) {
            TreeMap<String, JsonNode> left = new TreeMap<>();
            a.properties().forEach(e -> left.put(e.getKey(), e.getValue()));
            TreeMap<String, JsonNode> right = new TreeMap<>();
            b.properties().forEach(e -> right.put(e.getKey(), e.getValue()));
            return compareKeys(left, right);
        }
        return 0;
    }

    private static int typeRank(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return 5;
        }
        if (node.isNumber()) {
            return 0;
        }
        if (node.isString()) {
            return 1;
        }
        if (node.isBoolean()) {
            return 2;
        }
        return node.isArray() ? 3 : 4;
    }

    /** The FieldsV1 key of this element: {@code f:name}, {@code k:{...}}, {@code v:...} or {@code i:n}. */
    default String serialize() {
        return switch (this) {
            case Field f -> "f:" + f.name();
            case Key k -> {
                ObjectNode object = Json.object();
                k.fields().forEach(object::set);
                yield "k:" + Json.text(object);
            }
            case Value v -> "v:" + Json.text(v.value());
            case Index i -> "i:" + i.index();
        };
    }

    /** Reads a FieldsV1 key; throws IllegalArgumentException when it is not one. */
    static PathElement parse(String text) {
        if (text.length() < 2 || text.charAt(1) != ':') {
            throw new IllegalArgumentException("not a path element: " + text);
        }
        String content = text.substring(2);
        return switch (text.charAt(0)) {
            case 'f' -> new Field(content);
            case 'v' -> new Value(Json.parse(content.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            case 'k' -> {
                JsonNode object = Json.parse(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                if (!object.isObject()) {
                    throw new IllegalArgumentException("a key must be an object: " + text);
                }
                TreeMap<String, JsonNode> fields = new TreeMap<>();
                object.properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
                yield new Key(fields);
            }
            case 'i' -> {
                try {
                    yield new Index(Integer.parseInt(content));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not an index: " + text, e);
                }
            }
            default -> throw new IllegalArgumentException("unknown path element type: " + text);
        };
    }

    /** As upstream prints paths in conflicts: {@code .name}, {@code [name="app"]}, {@code [="a"]}, {@code [0]}. */
    default String display() {
        return switch (this) {
            case Field f -> "." + f.name();
            case Key k -> {
                StringBuilder out = new StringBuilder("[");
                k.fields().forEach((name, value) -> {
                    if (out.length() > 1) {
                        out.append(',');
                    }
                    out.append(name).append('=').append(Json.text(value));
                });
                yield out.append(']').toString();
            }
            case Value v -> "[=" + Json.text(v.value()) + "]";
            case Index i -> "[" + i.index() + "]";
        };
    }
}

package io.k4j.apiserver.apply;

import io.k4j.apiserver.api.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Structured merge on JSON trees with a {@link TypeNode} schema: the field set of an object, the comparison of two
 * versions (added, modified, removed paths), the merge of an applied configuration into a live object, and the
 * removal of paths.
 */
public final class Structured {

    /** What changed between two versions of an object. */
    public record Comparison(FieldSet added, FieldSet modified, FieldSet removed) {
        public boolean isEmpty() {
            return added.isEmpty() && modified.isEmpty() && removed.isEmpty();
        }

        public FieldSet changed() {
            return added.union(modified);
        }
    }

    private Structured() {
    }

    // ---- field sets

    /** The fields an object sets, as upstream's ToFieldSet: leaves, list elements, free map keys, empty objects. */
    public static FieldSet fieldSet(JsonNode object, TypeNode type) {
        FieldSet set = new FieldSet();
        visit(object, type, new ArrayList<>(), set);
        return set;
    }

    private static void visit(JsonNode node, TypeNode type, List<PathElement> path, FieldSet set) {
        if (node == null || node.isNull() || isLeaf(node, type)) {
            set.insert(path);
            return;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                path.add(PathElement.field(entry.getKey()));
                JsonNode value = entry.getValue();
                visit(value, type.field(entry.getKey()), path, set);
                if (value.isNull() || value.isObject() && value.isEmpty() || !type.declares(entry.getKey())) {
                    set.insert(path);
                }
                path.removeLast();
            }
            return;
        }
        TypeNode element = type.element();
        for (JsonNode item : node) {
            PathElement pe = elementPath(type, item);
            path.add(pe);
            visit(item, element, path, set);
            set.insert(path);
            path.removeLast();
        }
    }

    /** Whether a node is owned whole: a scalar, an atomic type, or a shape the schema does not merge into. */
    private static boolean isLeaf(JsonNode node, TypeNode type) {
        if (!node.isContainer()) {
            return true;
        }
        if (type.atomic()) {
            return true;
        }
        return switch (type.kind()) {
            case STRUCT, MAP -> !node.isObject();
            case LIST -> !node.isArray() || !hasUsableKeys(type, node);
            case UNTYPED -> node.isArray(); // deduced lists are atomic
            default -> true;
        };
    }

    /** Whether every element of a map list has its keys (otherwise the list is handled as atomic). */
    private static boolean hasUsableKeys(TypeNode type, JsonNode list) {
        if (!"map".equals(type.listType())) {
            return true;
        }
        for (JsonNode item : list) {
            if (!item.isObject()) {
                return false;
            }
            for (String key : type.listKeys()) {
                if (!item.has(key) || item.get(key).isContainer()) {
                    // upstream allows a missing key only with a default; treat the list as atomic instead
                    return false;
                }
            }
        }
        return true;
    }

    private static PathElement elementPath(TypeNode type, JsonNode item) {
        if ("map".equals(type.listType())) {
            Map<String, JsonNode> key = new LinkedHashMap<>();
            for (String name : type.listKeys()) {
                if (item.has(name)) {
                    key.put(name, item.get(name));
                }
            }
            return PathElement.key(key);
        }
        return new PathElement.Value(item);
    }

    private static Map<PathElement, JsonNode> index(TypeNode type, JsonNode list) {
        Map<PathElement, JsonNode> out = new TreeMap<>();
        if (list != null && list.isArray()) {
            for (JsonNode item : list) {
                out.putIfAbsent(elementPath(type, item), item);
            }
        }
        return out;
    }

    // ---- comparison

    /** Compares two versions of an object; either may be null (created, deleted). */
    public static Comparison compare(JsonNode before, JsonNode after, TypeNode type) {
        Comparison result = new Comparison(new FieldSet(), new FieldSet(), new FieldSet());
        compare(before, after, type, new ArrayList<>(), result, false);
        return result;
    }

    private static void compare(JsonNode lhs, JsonNode rhs, TypeNode type, List<PathElement> path, Comparison out,
                                boolean declared) {
        boolean l = lhs != null && !lhs.isMissingNode();
        boolean r = rhs != null && !rhs.isMissingNode();
        if (!l && !r) {
            return;
        }
        if (!l) {
            everything(rhs, type, path, out.added(), declared);
            return;
        }
        if (!r) {
            everything(lhs, type, path, out.removed(), declared);
            return;
        }
        if (isLeaf(lhs, type) || isLeaf(rhs, type) || lhs.isObject() != rhs.isObject()) {
            if (PathElement.compareValues(lhs, rhs) != 0 || lhs.isContainer() && !lhs.equals(rhs)) {
                out.modified().insert(path);
            }
            return;
        }
        if (lhs.isObject()) {
            LinkedHashSet<String> keys = new LinkedHashSet<>();
            lhs.propertyNames().forEach(keys::add);
            rhs.propertyNames().forEach(keys::add);
            for (String key : keys) {
                path.add(PathElement.field(key));
                compare(lhs.get(key), rhs.get(key), type.field(key), path, out, type.declares(key));
                path.removeLast();
            }
            return;
        }
        Map<PathElement, JsonNode> left = index(type, lhs);
        Map<PathElement, JsonNode> right = index(type, rhs);
        LinkedHashSet<PathElement> elements = new LinkedHashSet<>(left.keySet());
        elements.addAll(right.keySet());
        for (PathElement pe : elements) {
            path.add(pe);
            compare(left.get(pe), right.get(pe), type.element(), path, out, false);
            path.removeLast();
        }
    }

    /**
     * Every path of a subtree that appeared or went. A declared struct field holding fields is not itself
     * counted: upstream's Go types hold such structs by value, so they exist, empty, before any write.
     */
    private static void everything(JsonNode node, TypeNode type, List<PathElement> path, FieldSet into,
                                   boolean declared) {
        boolean structWithFields = declared && type.kind() == TypeNode.Kind.STRUCT && !type.atomic()
                && node.isObject() && !node.isEmpty();
        if (!structWithFields) {
            into.insert(path);
        }
        if (node.isNull() || isLeaf(node, type)) {
            return;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                path.add(PathElement.field(entry.getKey()));
                everything(entry.getValue(), type.field(entry.getKey()), path, into, type.declares(entry.getKey()));
                path.removeLast();
            }
            return;
        }
        for (JsonNode item : node) {
            path.add(elementPath(type, item));
            everything(item, type.element(), path, into, false);
            path.removeLast();
        }
    }

    // ---- merge

    /** The live object with the applied configuration merged in (a new tree; the inputs stay as they are). */
    public static JsonNode merge(JsonNode live, JsonNode config, TypeNode type) {
        if (config == null || config.isMissingNode()) {
            return live == null ? null : live.deepCopy();
        }
        if ((live == null || live.isMissingNode() || live.isNull()) && config.isObject() && !isLeaf(config, type)) {
            live = Json.object(); // merged into nothing, so that applied nulls are dropped at every level
        }
        if (live == null || live.isMissingNode() || live.isNull() || isLeaf(config, type)
                || isLeaf(live, type) || live.isObject() != config.isObject()) {
            return config.deepCopy();
        }
        if (config.isObject()) {
            ObjectNode out = (ObjectNode) live.deepCopy();
            for (Map.Entry<String, JsonNode> entry : config.properties()) {
                String key = entry.getKey();
                if (entry.getValue().isNull()) {
                    out.remove(key); // applied as null: owned, and unset
                } else {
                    out.set(key, merge(live.get(key), entry.getValue(), type.field(key)));
                }
            }
            return out;
        }
        return mergeList((ArrayNode) live, (ArrayNode) config, type);
    }

    /**
     * Associative and set lists: elements merge by key; the applied elements keep their applied order, and live
     * elements the configuration does not mention stay where they were relative to them.
     */
    private static ArrayNode mergeList(ArrayNode live, ArrayNode config, TypeNode type) {
        Map<PathElement, JsonNode> liveByKey = index(type, live);
        Map<PathElement, JsonNode> configByKey = index(type, config);
        List<PathElement> configOrder = new ArrayList<>();
        for (JsonNode item : config) {
            PathElement pe = elementPath(type, item);
            if (!configOrder.contains(pe)) {
                configOrder.add(pe);
            }
        }
        ArrayNode out = Json.array();
        java.util.Set<PathElement> emitted = new java.util.TreeSet<>();
        int next = 0;
        for (JsonNode item : live) {
            PathElement pe = elementPath(type, item);
            if (emitted.contains(pe)) {
                continue;
            }
            if (!configByKey.containsKey(pe)) {
                out.add(item.deepCopy());
                emitted.add(pe);
                continue;
            }
            // a shared element: first the applied elements up to it, in applied order
            while (next < configOrder.size()) {
                PathElement wanted = configOrder.get(next++);
                if (emitted.add(wanted)) {
                    out.add(merge(liveByKey.get(wanted), configByKey.get(wanted), type.element()));
                }
                if (wanted.compareTo(pe) == 0) {
                    break;
                }
            }
        }
        while (next < configOrder.size()) {
            PathElement wanted = configOrder.get(next++);
            if (emitted.add(wanted)) {
                out.add(merge(liveByKey.get(wanted), configByKey.get(wanted), type.element()));
            }
        }
        return out;
    }

    // ---- removal

    /**
     * Removes the nodes at the member paths of {@code remove} from the object (in place), and containers the
     * removal left empty.
     */
    public static void removeItems(JsonNode node, TypeNode type, FieldSet remove) {
        removeItems(node, type, remove, new ArrayList<>());
    }

    private static void removeItems(JsonNode node, TypeNode type, FieldSet remove, List<PathElement> path) {
        if (node == null || node.isNull() || isLeaf(node, type)) {
            return;
        }
        if (node instanceof ObjectNode object) {
            for (String key : List.copyOf(object.propertyNames())) {
                path.add(PathElement.field(key));
                if (remove.has(path)) {
                    object.remove(key);
                } else if (remove.hasPrefix(path)) {
                    JsonNode child = object.get(key);
                    removeItems(child, type.field(key), remove, path);
                    if (child.isContainer() && child.isEmpty()) {
                        object.remove(key);
                    }
                }
                path.removeLast();
            }
            return;
        }
        ArrayNode array = (ArrayNode) node;
        for (int i = array.size() - 1; i >= 0; i--) {
            path.add(elementPath(type, array.get(i)));
            if (remove.has(path)) {
                array.remove(i);
            } else if (remove.hasPrefix(path)) {
                removeItems(array.get(i), type.element(), remove, path);
            }
            path.removeLast();
        }
    }
}

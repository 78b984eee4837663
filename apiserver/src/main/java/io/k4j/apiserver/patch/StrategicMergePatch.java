package io.k4j.apiserver.patch;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.schema.FieldSemantics;
import io.k4j.apiserver.schema.ListSemantics;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Strategic merge patch ({@code application/strategic-merge-patch+json}) for built-in kinds, as pure functions over
 * JSON trees. Objects merge key by key and {@code null} removes a key; a list merges element by element when its field
 * declares patchStrategy merge (by the patchMergeKey, or as a set of scalars without one) and is replaced otherwise.
 * The patch directives {@code $patch} (replace, delete, merge), {@code $retainKeys}, {@code $setElementOrder/<list>}
 * and {@code $deleteFromPrimitiveList/<list>} are honoured. Field semantics come from {@link FieldSemantics}, found
 * by walking the fabric8 model class of the object's kind.
 */
public final class StrategicMergePatch {

    static final String PATCH = "$patch";
    static final String RETAIN_KEYS = "$retainKeys";
    static final String SET_ELEMENT_ORDER = "$setElementOrder/";
    static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StrategicMergePatch() {
    }

    /**
     * Patches {@code original} (left untouched) with the model class of its apiVersion and kind. Kinds without one
     * (custom resources) are refused with 415 as upstream refuses them.
     */
    public static ObjectNode apply(ObjectNode original, JsonNode patch) {
        String apiVersion = original.path("apiVersion").asString("");
        String kind = original.path("kind").asString("");
        Class<?> type = ModelTypes.builtIn(apiVersion, kind).orElseThrow(() -> new ApiException(415,
                "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types "
                + "include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"));
        return apply(original, patch, type);
    }

    /** Patches {@code original} (left untouched), reading field semantics from model class {@code type}. */
    public static ObjectNode apply(ObjectNode original, JsonNode patch, Type type) {
        if (!(patch instanceof ObjectNode patchObject)) {
            throw ApiException.badRequest("a strategic merge patch must be a JSON object");
        }
        JsonNode result = mergeObject(original.deepCopy(), patchObject, type);
        if (!(result instanceof ObjectNode object)) {
            throw new ApiException(422, "Invalid", "the strategic merge patch deleted the whole object");
        }
        return object;
    }

    /**
     * Merges {@code patch} into {@code target} (changed in place, may be null) whose declared type is {@code type}
     * (null when unknown). Returns the merged object, or null when the patch deletes it.
     */
    static ObjectNode mergeObject(ObjectNode target, ObjectNode patch, Type type) {
        JsonNode directive = patch.get(PATCH);
        if (directive != null) {
            switch (directive.asString("")) {
                case "delete" -> {
                    return null;
                }
                case "replace" -> target = null;
                case "merge" -> {
                }
                default -> throw ApiException.badRequest("unknown patch type: " + directive + " in map: " + patch);
            }
        }
        ObjectNode result = target != null ? target : NODES.objectNode();

        JsonNode retain = patch.get(RETAIN_KEYS);
        if (retain != null) {
            retainKeys(result, patch, retain);
        }

        // Lists before this patch touched them, for $setElementOrder's placement of elements the patch leaves out.
        Map<String, ArrayNode> serverOrder = new HashMap<>();
        for (Map.Entry<String, JsonNode> entry : patch.properties()) {
            String key = entry.getKey();
            if (key.startsWith(SET_ELEMENT_ORDER)) {
                String field = key.substring(SET_ELEMENT_ORDER.length());
                serverOrder.put(field, result.get(field) instanceof ArrayNode list ? list.deepCopy() : NODES.arrayNode());
            }
        }

        for (Map.Entry<String, JsonNode> entry : patch.properties()) {
            String key = entry.getKey();
            if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                deleteFromPrimitiveList(result, key.substring(DELETE_FROM_PRIMITIVE_LIST.length()), entry.getValue());
            }
        }

        for (Map.Entry<String, JsonNode> entry : patch.properties()) {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            if (isDirective(key)) {
                continue;
            }
            if (value.isNull()) {
                result.remove(key);
                continue;
            }
            Type fieldType = ModelTypes.propertyType(type, key);
            JsonNode merged;
            if (value instanceof ArrayNode list) {
                merged = mergeList(result.get(key), list, ModelTypes.elementType(fieldType), semantics(type, key));
            } else if (value instanceof ObjectNode object) {
                merged = mergeObject(result.get(key) instanceof ObjectNode existing ? existing : null, object, fieldType);
            } else {
                merged = value.deepCopy();
            }
            if (merged == null) {
                result.remove(key);
            } else {
                result.set(key, merged);
            }
        }

        for (Map.Entry<String, JsonNode> entry : patch.properties()) {
            String key = entry.getKey();
            if (key.startsWith(SET_ELEMENT_ORDER)) {
                String field = key.substring(SET_ELEMENT_ORDER.length());
                setElementOrder(result, field, entry.getValue(), serverOrder.get(field), semantics(type, field));
            }
        }
        return result;
    }

    private static boolean isDirective(String key) {
        return key.equals(PATCH) || key.equals(RETAIN_KEYS) || key.startsWith(SET_ELEMENT_ORDER)
                || key.startsWith(DELETE_FROM_PRIMITIVE_LIST);
    }

    private static ListSemantics semantics(Type owner, String field) {
        Class<?> c = ModelTypes.isMap(owner) ? null : ModelTypes.rawClass(owner);
        return c == null ? null : FieldSemantics.list(c, field).orElse(null);
    }

    /** {@code $retainKeys}: every key of the object not named is cleared; the patch may only set named keys. */
    private static void retainKeys(ObjectNode result, ObjectNode patch, JsonNode retain) {
        if (!(retain instanceof ArrayNode names)) {
            throw ApiException.badRequest("invalid patch: $retainKeys must be a list of field names, got " + retain);
        }
        Set<String> keep = new HashSet<>();
        for (JsonNode name : names) {
            if (!name.isString()) {
                throw ApiException.badRequest("invalid patch: $retainKeys must be a list of field names, got " + retain);
            }
            keep.add(name.asString());
        }
        for (Map.Entry<String, JsonNode> entry : patch.properties()) {
            if (!isDirective(entry.getKey()) && !entry.getValue().isNull() && !keep.contains(entry.getKey())) {
                throw ApiException.badRequest("invalid patch: field " + entry.getKey() + " is set but not listed in "
                        + "$retainKeys " + retain);
            }
        }
        List<String> clear = new ArrayList<>();
        for (String existing : result.propertyNames()) {
            if (!keep.contains(existing)) {
                clear.add(existing);
            }
        }
        clear.forEach(result::remove);
    }

    /** {@code $deleteFromPrimitiveList/<field>}: removes every occurrence of the listed values. */
    private static void deleteFromPrimitiveList(ObjectNode result, String field, JsonNode values) {
        if (!(values instanceof ArrayNode remove)) {
            throw ApiException.badRequest("invalid patch: $deleteFromPrimitiveList/" + field + " must be a list");
        }
        if (!(result.get(field) instanceof ArrayNode list)) {
            return;
        }
        ArrayNode kept = NODES.arrayNode();
        for (JsonNode element : list) {
            if (indexOf(remove, element, null) < 0) {
                kept.add(element);
            }
        }
        result.set(field, kept);
    }

    /** Merges a patch list into the current value of a list field. */
    static ArrayNode mergeList(JsonNode current, ArrayNode patch, Type elementType, ListSemantics semantics) {
        boolean merge = semantics != null && semantics.patchStrategy() != null
                && semantics.patchStrategy().contains("merge");
        if (!merge) {
            return replacement(patch, elementType);
        }
        ArrayNode working = current instanceof ArrayNode list ? list.deepCopy() : NODES.arrayNode();
        String mergeKey = semantics.patchMergeKey();
        if (mergeKey == null) {
            // A set of scalars: union, first occurrence wins, the current elements keep their places.
            if (hasObjects(patch)) {
                return replacement(patch, elementType);
            }
            for (JsonNode element : patch) {
                if (indexOf(working, element, null) < 0) {
                    working.add(element.deepCopy());
                }
            }
            return working;
        }
        List<ObjectNode> plain = new ArrayList<>();
        boolean replace = false;
        for (JsonNode element : patch) {
            if (!(element instanceof ObjectNode object)) {
                throw ApiException.badRequest("invalid patch: the elements of a list merged by " + mergeKey
                        + " must be objects, got " + element);
            }
            JsonNode directive = object.get(PATCH);
            if (directive == null) {
                plain.add(object);
                continue;
            }
            switch (directive.asString("")) {
                case "delete" -> {
                    JsonNode key = object.get(mergeKey);
                    if (key == null) {
                        throw ApiException.badRequest("map: " + object + " does not contain declared merge key: "
                                + mergeKey);
                    }
                    ArrayNode kept = NODES.arrayNode();
                    for (JsonNode existing : working) {
                        if (!same(existing.get(mergeKey), key)) {
                            kept.add(existing);
                        }
                    }
                    working = kept;
                }
                case "replace" -> replace = true;
                case "merge" -> throw ApiException.badRequest("merging lists cannot yet be specified in the patch");
                default -> throw ApiException.badRequest("unknown patch type: " + directive + " in map: " + object);
            }
        }
        if (replace) {
            working = NODES.arrayNode();
        }
        for (ObjectNode element : plain) {
            JsonNode key = element.get(mergeKey);
            if (key == null) {
                throw ApiException.badRequest("map: " + element + " does not contain declared merge key: " + mergeKey);
            }
            int at = indexOf(working, element, mergeKey);
            if (at >= 0) {
                JsonNode existing = working.get(at);
                ObjectNode merged = mergeObject(existing instanceof ObjectNode o ? o : null, element, elementType);
                working.set(at, merged == null ? NODES.objectNode() : merged);
            } else {
                ObjectNode added = mergeObject(null, element, elementType);
                if (added != null) {
                    working.add(added);
                }
            }
        }
        return working;
    }

    /** A list taken whole from the patch; its objects lose any directives and null fields. */
    private static ArrayNode replacement(ArrayNode patch, Type elementType) {
        ArrayNode result = NODES.arrayNode();
        for (JsonNode element : patch) {
            if (element instanceof ObjectNode object) {
                if (object.has(PATCH) && onlyDirectives(object)) {
                    continue; // a bare {"$patch": ...} marker, not an element
                }
                ObjectNode cleaned = mergeObject(null, object, elementType);
                if (cleaned != null) {
                    result.add(cleaned);
                }
            } else {
                result.add(element.deepCopy());
            }
        }
        return result;
    }

    private static boolean onlyDirectives(ObjectNode object) {
        for (String key : object.propertyNames()) {
            if (!isDirective(key)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasObjects(ArrayNode list) {
        for (JsonNode element : list) {
            if (element.isObject()) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code $setElementOrder/<field>}: the elements the order names take its relative order; the others keep their
     * places relative to the elements they stood among before the patch.
     */
    private static void setElementOrder(ObjectNode result, String field, JsonNode order, ArrayNode serverOrder,
                                        ListSemantics semantics) {
        if (!(order instanceof ArrayNode orderList)) {
            throw ApiException.badRequest("invalid patch: $setElementOrder/" + field + " must be a list");
        }
        if (!(result.get(field) instanceof ArrayNode merged)) {
            return;
        }
        String mergeKey = semantics == null ? null : semantics.patchMergeKey();
        if (mergeKey == null && hasObjects(merged)) {
            return; // no key to identify the elements by: the list was replaced and keeps the patch's order
        }
        List<JsonNode> patchItems = new ArrayList<>();
        List<JsonNode> serverOnly = new ArrayList<>();
        for (JsonNode element : merged) {
            (indexOf(orderList, element, mergeKey) >= 0 ? patchItems : serverOnly).add(element);
        }
        patchItems.sort(Comparator.comparingInt(e -> indexOf(orderList, e, mergeKey)));
        serverOnly.sort(Comparator.comparingInt(e -> indexOf(serverOrder, e, mergeKey)));
        ArrayNode sorted = NODES.arrayNode();
        int i = 0;
        int j = 0;
        while (i < serverOnly.size() || j < patchItems.size()) {
            if (j >= patchItems.size()) {
                sorted.add(serverOnly.get(i++));
            } else if (i >= serverOnly.size()) {
                sorted.add(patchItems.get(j++));
            } else {
                int left = indexOf(serverOrder, serverOnly.get(i), mergeKey);
                int right = indexOf(serverOrder, patchItems.get(j), mergeKey);
                if (left >= 0 && right >= 0 && left < right) {
                    sorted.add(serverOnly.get(i++));
                } else {
                    sorted.add(patchItems.get(j++));
                }
            }
        }
        result.set(field, sorted);
    }

    /** Where {@code element} stands in {@code list}: by the merge key's value, or by value for scalars. */
    private static int indexOf(ArrayNode list, JsonNode element, String mergeKey) {
        JsonNode wanted = mergeKey == null ? element : element.get(mergeKey);
        if (wanted == null) {
            return -1;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode candidate = mergeKey == null ? list.get(i) : list.get(i).get(mergeKey);
            if (candidate != null && same(candidate, wanted)) {
                return i;
            }
        }
        return -1;
    }

    /** JSON equality, with numbers compared by value (80 and 80.0 name the same port). */
    static boolean same(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }
}

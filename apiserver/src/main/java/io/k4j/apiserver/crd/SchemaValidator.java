package io.k4j.apiserver.crd;

import io.k4j.apiserver.api.ApiException.Cause;
import io.k4j.apiserver.api.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Validation, pruning and defaulting of custom resources against a structural OpenAPI v3 schema (a CRD version's
 * {@code openAPIV3Schema}), with upstream's field paths and messages ({@code spec.replicas: Invalid value: 20:
 * spec.replicas in body should be less than or equal to 10}).
 */
public final class SchemaValidator {

    private static final String PRESERVE = "x-kubernetes-preserve-unknown-fields";
    private static final String INT_OR_STRING = "x-kubernetes-int-or-string";
    private static final String EMBEDDED = "x-kubernetes-embedded-resource";
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private final ObjectNode schema;

    public SchemaValidator(ObjectNode schema) {
        this.schema = schema == null ? Json.object() : schema;
    }

    public ObjectNode schema() {
        return schema;
    }

    /** The field errors of a whole object; apiVersion, kind and metadata are the server's business. */
    public List<Cause> validate(ObjectNode object) {
        List<Cause> causes = new ArrayList<>();
        JsonNode properties = schema.path("properties");
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
            String field = entry.getKey();
            if (field.equals("apiVersion") || field.equals("kind") || field.equals("metadata")) {
                continue;
            }
            JsonNode child = properties.get(field);
            if (child != null) {
                validate(child, entry.getValue(), field, causes);
            } else if (schema.path("additionalProperties").isObject()) {
                validate(schema.path("additionalProperties"), entry.getValue(), field, causes);
            }
        }
        for (JsonNode required : schema.path("required")) {
            String field = required.asString("");
            if (!object.has(field)) {
                causes.add(Cause.required(field));
            }
        }
        return causes;
    }

    /** The field errors of one value against one schema node, reported at {@code path}. */
    static List<Cause> validateValue(JsonNode schema, JsonNode value, String path) {
        List<Cause> causes = new ArrayList<>();
        validate(schema, value, path, causes);
        return causes;
    }

    private static void validate(JsonNode schema, JsonNode value, String path, List<Cause> causes) {
        if (value == null || value.isNull()) {
            if (!schema.path("nullable").asBoolean(false) && schema.has("type")) {
                causes.add(typeError(path, "null", schema.path("type").asString("")));
            }
            return;
        }
        if (schema.path(INT_OR_STRING).asBoolean(false)) {
            if (!value.isIntegralNumber() && !value.isString()) {
                causes.add(typeError(path, typeName(value), "integer-or-string"));
                return;
            }
        } else if (schema.has("type")) {
            String type = schema.path("type").asString("");
            if (!hasType(value, type)) {
                causes.add(typeError(path, typeName(value), type));
                return;
            }
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode allowed : schema.path("enum")) {
                if (sameValue(allowed, value)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                List<String> allowed = new ArrayList<>();
                schema.path("enum").forEach(v -> allowed.add(display(v)));
                causes.add(new Cause("FieldValueNotSupported", "Unsupported value: " + display(value)
                        + ": supported values: " + String.join(", ", allowed), path));
            }
        }
        if (value.isNumber()) {
            numberChecks(schema, value, path, causes);
        }
        if (value.isString()) {
            stringChecks(schema, value.asString(), path, causes);
        }
        if (value.isArray()) {
            int size = value.size();
            if (schema.has("maxItems") && size > schema.path("maxItems").asInt()) {
                causes.add(new Cause("FieldValueTooMany", "Too many: " + size + ": must have at most "
                        + schema.path("maxItems").asInt() + " items", path));
            }
            if (schema.has("minItems") && size < schema.path("minItems").asInt()) {
                causes.add(invalid(path, value, path + " in body should have at least "
                        + schema.path("minItems").asInt() + " items"));
            }
            JsonNode items = schema.path("items");
            if (items.isObject()) {
                for (int i = 0; i < size; i++) {
                    validate(items, value.get(i), path + "[" + i + "]", causes);
                }
            }
        }
        if (value.isObject()) {
            objectChecks(schema, (ObjectNode) value, path, causes);
        }
    }

    private static void objectChecks(JsonNode schema, ObjectNode value, String path, List<Cause> causes) {
        int size = value.size();
        if (schema.has("maxProperties") && size > schema.path("maxProperties").asInt()) {
            causes.add(new Cause("FieldValueTooMany", "Too many: " + size + ": must have at most "
                    + schema.path("maxProperties").asInt() + " items", path));
        }
        if (schema.has("minProperties") && size < schema.path("minProperties").asInt()) {
            causes.add(invalid(path, value, path + " in body should have at least "
                    + schema.path("minProperties").asInt() + " properties"));
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.path("additionalProperties");
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            JsonNode child = properties.get(entry.getKey());
            String childPath = path + "." + entry.getKey();
            if (child != null) {
                validate(child, entry.getValue(), childPath, causes);
            } else if (additional.isObject()) {
                validate(additional, entry.getValue(), childPath, causes);
            }
        }
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asString(""))) {
                causes.add(Cause.required(path + "." + required.asString("")));
            }
        }
        if (schema.path(EMBEDDED).asBoolean(false)) {
            for (String field : new String[] {"apiVersion", "kind"}) {
                if (value.path(field).asString("").isEmpty()) {
                    causes.add(new Cause("FieldValueRequired", "Required value: must not be empty",
                            path + "." + field));
                }
            }
            JsonNode metadata = value.path("metadata");
            if (!metadata.isMissingNode() && !metadata.isObject()) {
                causes.add(typeError(path + ".metadata", typeName(metadata), "object"));
            }
        }
    }

    private static void numberChecks(JsonNode schema, JsonNode value, String path, List<Cause> causes) {
        BigDecimal number = value.decimalValue();
        if (schema.has("maximum")) {
            BigDecimal max = schema.path("maximum").decimalValue();
            boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
            int cmp = number.compareTo(max);
            if (exclusive ? cmp >= 0 : cmp > 0) {
                causes.add(invalid(path, value, path + " in body should be less than "
                        + (exclusive ? "" : "or equal to ") + display(schema.path("maximum"))));
            }
        }
        if (schema.has("minimum")) {
            BigDecimal min = schema.path("minimum").decimalValue();
            boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
            int cmp = number.compareTo(min);
            if (exclusive ? cmp <= 0 : cmp < 0) {
                causes.add(invalid(path, value, path + " in body should be greater than "
                        + (exclusive ? "" : "or equal to ") + display(schema.path("minimum"))));
            }
        }
        if (schema.has("multipleOf")) {
            BigDecimal factor = schema.path("multipleOf").decimalValue();
            if (factor.signum() > 0 && number.remainder(factor).signum() != 0) {
                causes.add(invalid(path, value, path + " in body should be a multiple of "
                        + display(schema.path("multipleOf"))));
            }
        }
    }

    private static void stringChecks(JsonNode schema, String text, String path, List<Cause> causes) {
        int length = text.codePointCount(0, text.length());
        if (schema.has("maxLength") && length > schema.path("maxLength").asInt()) {
            causes.add(new Cause("FieldValueTooLong", "Too long: may not be more than "
                    + schema.path("maxLength").asInt() + " bytes", path));
        }
        if (schema.has("minLength") && length < schema.path("minLength").asInt()) {
            causes.add(invalid(path, Json.NODES.stringNode(text), path + " in body should be at least "
                    + schema.path("minLength").asInt() + " chars long"));
        }
        if (schema.has("pattern")) {
            String regex = schema.path("pattern").asString("");
            Pattern pattern = pattern(regex);
            if (pattern != null && !pattern.matcher(text).find()) {
                causes.add(invalid(path, Json.NODES.stringNode(text), path + " in body should match '" + regex + "'"));
            }
        }
    }

    static Pattern pattern(String regex) {
        try {
            return PATTERNS.computeIfAbsent(regex, Pattern::compile);
        } catch (PatternSyntaxException e) {
            return null;
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isString();
            case "integer" -> value.isIntegralNumber()
                    || value.isFloatingPointNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0;
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> true;
        };
    }

    /** The JSON type of a value, as the type error names it. */
    static String typeName(JsonNode value) {
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.isObject()) {
            return "object";
        }
        if (value.isArray()) {
            return "array";
        }
        if (value.isString()) {
            return "string";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        return value.isIntegralNumber() ? "integer" : "number";
    }

    private static Cause typeError(String path, String actual, String expected) {
        return new Cause("FieldValueTypeInvalid", "Invalid value: \"" + actual + "\": " + path
                + " in body must be of type " + expected + ": \"" + actual + "\"", path);
    }

    private static Cause invalid(String path, JsonNode value, String detail) {
        return new Cause("FieldValueInvalid", "Invalid value: " + display(value) + ": " + detail, path);
    }

    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    /** A value as Go's field errors print it: strings quoted, numbers and booleans bare. */
    static String display(JsonNode value) {
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.isString()) {
            return "\"" + value.asString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        if (value.isNumber()) {
            BigDecimal number = value.decimalValue().stripTrailingZeros();
            return number.scale() <= 0 ? number.toBigInteger().toString() : number.toPlainString();
        }
        if (value.isContainer()) {
            return "\"" + typeName(value) + "\"";
        }
        return value.asString();
    }

    // --- pruning ---

    /** Drops the fields the schema does not specify, except under x-kubernetes-preserve-unknown-fields. */
    public void prune(ObjectNode object) {
        pruneObject(schema, object, true);
    }

    private static void pruneObject(JsonNode schema, ObjectNode object, boolean root) {
        boolean preserve = schema.path(PRESERVE).asBoolean(false);
        boolean embedded = root || schema.path(EMBEDDED).asBoolean(false);
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.path("additionalProperties");
        Iterator<Map.Entry<String, JsonNode>> fields = object.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            String field = entry.getKey();
            if (embedded && (field.equals("apiVersion") || field.equals("kind") || field.equals("metadata"))) {
                continue;
            }
            JsonNode child = properties.get(field);
            if (child == null && additional.isObject()) {
                child = additional;
            }
            if (child == null) {
                if (!preserve && !additional.asBoolean(false)) {
                    fields.remove();
                }
                continue;
            }
            pruneValue(child, entry.getValue());
        }
    }

    private static void pruneValue(JsonNode schema, JsonNode value) {
        if (value instanceof ObjectNode object) {
            if (schema.path(INT_OR_STRING).asBoolean(false)) {
                return;
            }
            pruneObject(schema, object, false);
        } else if (value instanceof ArrayNode array && schema.path("items").isObject()) {
            for (JsonNode item : array) {
                pruneValue(schema.path("items"), item);
            }
        }
    }

    // --- defaulting ---

    /** Fills the schema's defaults into missing (or null, when not nullable) fields of present objects. */
    public void applyDefaults(ObjectNode object) {
        defaultObject(schema, object);
    }

    private static void defaultObject(JsonNode schema, ObjectNode object) {
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            JsonNode propertySchema = property.getValue();
            JsonNode current = object.get(property.getKey());
            boolean missing = current == null || current.isNull() && !propertySchema.path("nullable").asBoolean(false);
            if (missing && propertySchema.has("default")) {
                object.set(property.getKey(), propertySchema.get("default").deepCopy());
            }
        }
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
            JsonNode child = schema.path("properties").get(entry.getKey());
            if (child == null && schema.path("additionalProperties").isObject()) {
                child = schema.path("additionalProperties");
            }
            if (child != null) {
                defaultValue(child, entry.getValue());
            }
        }
    }

    private static void defaultValue(JsonNode schema, JsonNode value) {
        if (value instanceof ObjectNode object) {
            defaultObject(schema, object);
        } else if (value instanceof ArrayNode array && schema.path("items").isObject()) {
            JsonNode items = schema.path("items");
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isNull() && items.has("default") && !items.path("nullable").asBoolean(false)) {
                    array.set(i, items.get("default").deepCopy());
                }
                defaultValue(items, array.get(i));
            }
        }
    }
}

package io.k4j.apiserver.crd;

import io.k4j.apiserver.api.ApiException.Cause;
import io.k4j.apiserver.registry.Names;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The validation of apiextensions.k8s.io/v1 CustomResourceDefinitions: names, versions, scope, subresources,
 * printer columns, and the structural-schema rules for each version's openAPIV3Schema.
 */
final class CrdValidation {

    private static final Pattern DNS1035 = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final String DNS1035_MESSAGE = "a DNS-1035 label must consist of lower case alphanumeric "
            + "characters or '-', start with an alphabetic character, and end with an alphanumeric character "
            + "(e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    private static final Set<String> TYPES = Set.of("object", "array", "string", "integer", "number", "boolean");
    private static final Set<String> COLUMN_TYPES = Set.of("integer", "number", "string", "boolean", "date");
    private static final Set<String> COLUMN_FORMATS = Set.of("int32", "int64", "float", "double", "byte", "binary",
            "date", "date-time", "password", "name");
    /** Keywords a schema may use; anything else is refused. */
    private static final Set<String> KEYWORDS = Set.of("type", "format", "title", "description", "properties",
            "items", "additionalProperties", "required", "enum", "pattern", "minimum", "maximum", "exclusiveMinimum",
            "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "minProperties",
            "maxProperties", "multipleOf", "nullable", "default", "example", "externalDocs", "allOf", "anyOf",
            "oneOf", "not", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string",
            "x-kubernetes-embedded-resource", "x-kubernetes-list-type", "x-kubernetes-list-map-keys",
            "x-kubernetes-map-type", "x-kubernetes-validations");
    private static final Map<String, String> UNSUPPORTED = Map.of(
            "$ref", "$ref is not supported",
            "$schema", "$schema is not supported",
            "id", "id is not supported",
            "definitions", "definitions are not supported",
            "patternProperties", "patternProperties is not supported",
            "dependencies", "dependencies are not supported",
            "additionalItems", "additionalItems is not supported");

    private CrdValidation() {
    }

    static List<Cause> validate(ObjectNode crd) {
        List<Cause> causes = new ArrayList<>();
        JsonNode spec = crd.path("spec");
        String group = spec.path("group").asString("");
        JsonNode names = spec.path("names");
        String plural = names.path("plural").asString("");
        String name = crd.path("metadata").path("name").asString("");
        if (!name.equals(plural + "." + group)) {
            causes.add(Cause.invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
        }
        if (group.isEmpty()) {
            causes.add(Cause.required("spec.group"));
        } else if (!Names.isSubdomain(group)) {
            causes.addAll(Names.check("spec.group", group, false));
        } else if (!group.contains(".")) {
            causes.add(Cause.invalid("spec.group", group, "should be a domain with at least one dot"));
        }
        validateNames(names, causes);
        String scope = spec.path("scope").asString("");
        if (scope.isEmpty()) {
            causes.add(Cause.required("spec.scope"));
        } else if (!scope.equals("Namespaced") && !scope.equals("Cluster")) {
            causes.add(notSupported("spec.scope", scope, "\"Cluster\", \"Namespaced\""));
        }
        validateVersions(spec.path("versions"), causes);
        String conversion = spec.path("conversion").path("strategy").asString("None");
        if (!conversion.equals("None")) {
            causes.add(conversion.equals("Webhook")
                    ? new Cause("FieldValueForbidden", "Forbidden: webhook conversion is not supported by this server",
                            "spec.conversion.strategy")
                    : notSupported("spec.conversion.strategy", conversion, "\"None\", \"Webhook\""));
        }
        if (spec.path("preserveUnknownFields").asBoolean(false)) {
            causes.add(Cause.invalid("spec.preserveUnknownFields", "true",
                    "cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema "
                            + "instead"));
        }
        return causes;
    }

    static List<Cause> validateUpdate(ObjectNode crd, ObjectNode old) {
        List<Cause> causes = new ArrayList<>(validate(crd));
        for (String field : new String[] {"group", "scope"}) {
            String now = crd.path("spec").path(field).asString("");
            String before = old.path("spec").path(field).asString("");
            if (!now.equals(before) && !before.isEmpty()) {
                causes.add(Cause.invalid("spec." + field, now, "field is immutable"));
            }
        }
        return causes;
    }

    private static void validateNames(JsonNode names, List<Cause> causes) {
        String plural = names.path("plural").asString("");
        if (plural.isEmpty()) {
            causes.add(Cause.required("spec.names.plural"));
        } else {
            dns1035("spec.names.plural", plural, causes);
        }
        String singular = names.path("singular").asString("");
        if (!singular.isEmpty()) {
            dns1035("spec.names.singular", singular, causes);
        }
        String kind = names.path("kind").asString("");
        if (kind.isEmpty()) {
            causes.add(Cause.required("spec.names.kind"));
        } else if (!isDns1035(kind.toLowerCase(Locale.ROOT))) {
            causes.add(Cause.invalid("spec.names.kind", kind, DNS1035_MESSAGE));
        }
        String listKind = names.path("listKind").asString("");
        if (listKind.isEmpty()) {
            causes.add(Cause.required("spec.names.listKind"));
        } else if (!isDns1035(listKind.toLowerCase(Locale.ROOT))) {
            causes.add(Cause.invalid("spec.names.listKind", listKind, DNS1035_MESSAGE));
        } else if (listKind.equals(kind)) {
            causes.add(Cause.invalid("spec.names.listKind", listKind, "kind and listKind may not be the same"));
        }
        int i = 0;
        for (JsonNode shortName : names.path("shortNames")) {
            dns1035("spec.names.shortNames[" + i++ + "]", shortName.asString(""), causes);
        }
        i = 0;
        for (JsonNode category : names.path("categories")) {
            dns1035("spec.names.categories[" + i++ + "]", category.asString(""), causes);
        }
    }

    private static void validateVersions(JsonNode versions, List<Cause> causes) {
        if (!versions.isArray() || versions.isEmpty()) {
            causes.add(new Cause("FieldValueRequired", "Required value: must have exactly one version marked as "
                    + "storage version", "spec.versions"));
            return;
        }
        int storage = 0;
        int served = 0;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < versions.size(); i++) {
            JsonNode version = versions.get(i);
            String path = "spec.versions[" + i + "]";
            String name = version.path("name").asString("");
            if (name.isEmpty()) {
                causes.add(Cause.required(path + ".name"));
            } else {
                dns1035(path + ".name", name, causes);
                if (!seen.add(name)) {
                    causes.add(new Cause("FieldValueDuplicate", "Duplicate value: \"" + name + "\"", path + ".name"));
                }
            }
            if (version.path("storage").asBoolean(false)) {
                storage++;
            }
            if (version.path("served").asBoolean(false)) {
                served++;
            }
            JsonNode schema = version.path("schema").path("openAPIV3Schema");
            if (!schema.isObject()) {
                causes.add(new Cause("FieldValueRequired", "Required value: schemas are required",
                        path + ".schema.openAPIV3Schema"));
            } else {
                validateRootSchema(schema, path + ".schema.openAPIV3Schema", causes);
            }
            validateSubresources(version.path("subresources"), path + ".subresources", causes);
            validateColumns(version.path("additionalPrinterColumns"), path + ".additionalPrinterColumns", causes);
            validateSelectableFields(version, path + ".selectableFields", causes);
        }
        if (storage != 1) {
            causes.add(new Cause("FieldValueInvalid", "Invalid value: " + storage + ": must have exactly one version "
                    + "marked as storage version", "spec.versions"));
        }
        if (served == 0) {
            causes.add(new Cause("FieldValueInvalid", "Invalid value: 0: must serve at least one version",
                    "spec.versions"));
        }
    }

    private static void validateSubresources(JsonNode subresources, String path, List<Cause> causes) {
        JsonNode scale = subresources.path("scale");
        if (!scale.isObject()) {
            return;
        }
        String spec = scale.path("specReplicasPath").asString("");
        if (spec.isEmpty()) {
            causes.add(Cause.required(path + ".scale.specReplicasPath"));
        } else if (!spec.startsWith(".spec.") || !JsonPaths.isValid(spec)) {
            causes.add(Cause.invalid(path + ".scale.specReplicasPath", spec, "should be a json path under .spec"));
        }
        String status = scale.path("statusReplicasPath").asString("");
        if (status.isEmpty()) {
            causes.add(Cause.required(path + ".scale.statusReplicasPath"));
        } else if (!status.startsWith(".status.") || !JsonPaths.isValid(status)) {
            causes.add(Cause.invalid(path + ".scale.statusReplicasPath", status,
                    "should be a json path under .status"));
        }
        String selector = scale.path("labelSelectorPath").asString("");
        if (!selector.isEmpty() && (!(selector.startsWith(".spec.") || selector.startsWith(".status."))
                || !JsonPaths.isValid(selector))) {
            causes.add(Cause.invalid(path + ".scale.labelSelectorPath", selector,
                    "should be a json path under either .spec or .status"));
        }
    }

    private static void validateColumns(JsonNode columns, String path, List<Cause> causes) {
        for (int i = 0; i < columns.size(); i++) {
            JsonNode column = columns.get(i);
            String at = path + "[" + i + "]";
            if (column.path("name").asString("").isEmpty()) {
                causes.add(Cause.required(at + ".name"));
            }
            String type = column.path("type").asString("");
            if (type.isEmpty()) {
                causes.add(Cause.required(at + ".type"));
            } else if (!COLUMN_TYPES.contains(type)) {
                causes.add(notSupported(at + ".type", type,
                        "\"boolean\", \"date\", \"integer\", \"number\", \"string\""));
            }
            String format = column.path("format").asString("");
            if (!format.isEmpty() && !COLUMN_FORMATS.contains(format)) {
                causes.add(notSupported(at + ".format", format, "\"binary\", \"byte\", \"date\", \"date-time\", "
                        + "\"double\", \"float\", \"int32\", \"int64\", \"name\", \"password\""));
            }
            String jsonPath = column.path("jsonPath").asString("");
            if (jsonPath.isEmpty()) {
                causes.add(Cause.required(at + ".jsonPath"));
            } else if (!JsonPaths.isValid(jsonPath)) {
                causes.add(Cause.invalid(at + ".jsonPath", jsonPath, "must be a simple json path"));
            }
            if (column.path("priority").asInt(0) < 0) {
                causes.add(Cause.invalid(at + ".priority", column.path("priority").asString(""),
                        "must be greater than or equal to 0"));
            }
        }
    }

    /** Selectable fields: at most 8, simple paths to string, integer or boolean fields of the schema, unique. */
    private static void validateSelectableFields(JsonNode version, String path, List<Cause> causes) {
        JsonNode fields = version.path("selectableFields");
        if (fields.size() > 8) {
            causes.add(new Cause("FieldValueTooMany", "Too many: " + fields.size() + ": must have at most 8 items",
                    path));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < fields.size(); i++) {
            String jsonPath = fields.get(i).path("jsonPath").asString("");
            String at = path + "[" + i + "].jsonPath";
            if (jsonPath.isEmpty()) {
                causes.add(Cause.required(at));
                continue;
            }
            if (!seen.add(jsonPath)) {
                causes.add(new Cause("FieldValueDuplicate", "Duplicate value: \"" + jsonPath + "\"", at));
            }
            JsonNode node = version.path("schema").path("openAPIV3Schema");
            for (String step : jsonPath.replaceFirst("^\\.", "").split("\\.")) {
                node = node.path("properties").path(step);
            }
            String type = node.path("type").asString("");
            if (!jsonPath.startsWith(".") || jsonPath.contains("[") || node.isMissingNode()) {
                causes.add(Cause.invalid(at, jsonPath, "is an invalid path: must be a simple path to a field of the "
                        + "schema"));
            } else if (!type.equals("string") && !type.equals("integer") && !type.equals("boolean")) {
                causes.add(Cause.invalid(at, jsonPath, "selectable field must have type string, integer or boolean"));
            }
        }
    }

    /** The structural-schema rules: the root is an object, and every node says its type. */
    static void validateRootSchema(JsonNode schema, String path, List<Cause> causes) {
        String type = schema.path("type").asString("");
        if (!type.equals("object") && !schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            causes.add(type.isEmpty()
                    ? new Cause("FieldValueRequired", "Required value: must not be empty at the root", path + ".type")
                    : new Cause("FieldValueInvalid", "Invalid value: \"" + type + "\": must be object at the root",
                            path + ".type"));
        }
        validateSchema(schema, path, true, causes);
    }

    private static void validateSchema(JsonNode schema, String path, boolean root, List<Cause> causes) {
        if (!schema.isObject()) {
            causes.add(Cause.invalid(path, schema.toString(), "must be a schema object"));
            return;
        }
        for (Map.Entry<String, JsonNode> entry : schema.properties()) {
            String keyword = entry.getKey();
            if (UNSUPPORTED.containsKey(keyword)) {
                causes.add(new Cause("FieldValueForbidden", "Forbidden: " + UNSUPPORTED.get(keyword),
                        path + "." + keyword));
            } else if (!KEYWORDS.contains(keyword)) {
                causes.add(new Cause("FieldValueForbidden", "Forbidden: " + keyword + " is not supported",
                        path + "." + keyword));
            }
        }
        String type = schema.path("type").asString("");
        boolean intOrString = schema.path("x-kubernetes-int-or-string").asBoolean(false);
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (!type.isEmpty() && !TYPES.contains(type)) {
            causes.add(notSupported(path + ".type", type,
                    "\"array\", \"boolean\", \"integer\", \"number\", \"object\", \"string\""));
        }
        if (intOrString && !type.isEmpty()) {
            causes.add(new Cause("FieldValueForbidden", "Forbidden: must be empty if x-kubernetes-int-or-string is "
                    + "true", path + ".type"));
        }
        if (!root && type.isEmpty() && !intOrString && !preserve) {
            causes.add(new Cause("FieldValueRequired", "Required value: must not be empty for specified "
                    + "object fields", path + ".type"));
        }
        if (schema.path("uniqueItems").asBoolean(false)) {
            causes.add(new Cause("FieldValueForbidden", "Forbidden: uniqueItems cannot be set to true since the "
                    + "runtime complexity becomes quadratic", path + ".uniqueItems"));
        }
        if (schema.has("properties") && schema.has("additionalProperties")) {
            causes.add(new Cause("FieldValueForbidden", "Forbidden: additionalProperties and properties are mutual "
                    + "exclusive", path + ".additionalProperties"));
        }
        if (schema.has("additionalProperties") && schema.path("additionalProperties").isBoolean()
                && !schema.path("additionalProperties").asBoolean()) {
            causes.add(new Cause("FieldValueForbidden", "Forbidden: must not be false", path + ".additionalProperties"));
        }
        if (schema.path("x-kubernetes-embedded-resource").asBoolean(false) && !type.equals("object")) {
            causes.add(new Cause("FieldValueInvalid", "Invalid value: \"" + type + "\": must be object if "
                    + "x-kubernetes-embedded-resource is true", path + ".type"));
        }
        if (type.equals("array") && !schema.path("items").isObject()) {
            causes.add(new Cause("FieldValueRequired", "Required value: must be specified", path + ".items"));
        }
        if (schema.has("pattern") && SchemaValidator.pattern(schema.path("pattern").asString("")) == null) {
            causes.add(Cause.invalid(path + ".pattern", schema.path("pattern").asString(""),
                    "must be a valid regular expression"));
        }
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            validateSchema(property.getValue(), path + ".properties[" + property.getKey() + "]", false, causes);
        }
        if (schema.path("items").isObject()) {
            validateSchema(schema.path("items"), path + ".items", false, causes);
        }
        if (schema.path("additionalProperties").isObject()) {
            validateSchema(schema.path("additionalProperties"), path + ".additionalProperties", false, causes);
        }
        if (schema.has("default")) {
            if (root) {
                causes.add(new Cause("FieldValueForbidden", "Forbidden: must not be set at the root",
                        path + ".default"));
            } else {
                // A default must itself be valid against the schema it sits in.
                causes.addAll(SchemaValidator.validateValue(schema, schema.get("default"), path + ".default"));
            }
        }
    }

    private static void dns1035(String field, String value, List<Cause> causes) {
        if (!isDns1035(value)) {
            causes.add(Cause.invalid(field, value, DNS1035_MESSAGE));
        }
    }

    private static boolean isDns1035(String value) {
        return value.length() <= 63 && DNS1035.matcher(value).matches();
    }

    private static Cause notSupported(String field, String value, String supported) {
        return new Cause("FieldValueNotSupported", "Unsupported value: \"" + value + "\": supported values: "
                + supported, field);
    }
}

package io.k4j.apiserver.openapi;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.schema.FieldSemantics;
import io.k4j.apiserver.schema.ListSemantics;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAPI schemas of the fabric8 model classes, made by reflection: each class becomes one named schema (named as
 * upstream names the Go type, e.g. {@code io.k8s.api.core.v1.Pod}) whose properties are the class's
 * {@code @JsonProperty} fields. Schemas are made once per class and shared; callers get copies.
 */
public final class ModelSchemas {

    static final String REF = "#/components/schemas/";
    static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    static final String TIME = META + "Time";
    static final String MICRO_TIME = META + "MicroTime";
    static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    static final String FIELDS_V1 = META + "FieldsV1";
    private static final String FABRIC8 = "io.fabric8.kubernetes.api.model";

    /** Types fabric8 keeps in its core package that upstream has in apimachinery's meta/v1. */
    private static final Set<String> META_TYPES = Set.of("ObjectMeta", "ListMeta", "LabelSelector",
            "LabelSelectorRequirement", "OwnerReference", "ManagedFieldsEntry", "Status", "StatusDetails",
            "StatusCause", "DeleteOptions", "Preconditions", "Condition", "FieldsV1", "WatchEvent", "MicroTime",
            "APIResource", "APIResourceList", "APIGroup", "APIGroupList", "APIVersions", "GroupVersionForDiscovery",
            "ServerAddressByClientCIDR", "CreateOptions", "GetOptions", "ListOptions", "PatchOptions",
            "UpdateOptions", "TypeMeta", "RootPaths", "FieldSelectorRequirement");

    /** Fields upstream marks required, by type name (only where they exist on the fabric8 class). */
    private static final Map<String, List<String>> REQUIRED = Map.ofEntries(
            Map.entry("PodSpec", List.of("containers")),
            Map.entry("Container", List.of("name")),
            Map.entry("EphemeralContainer", List.of("name")),
            Map.entry("ContainerPort", List.of("containerPort")),
            Map.entry("ServicePort", List.of("port")),
            Map.entry("EnvVar", List.of("name")),
            Map.entry("Volume", List.of("name")),
            Map.entry("VolumeMount", List.of("name", "mountPath")),
            Map.entry("KeyToPath", List.of("key", "path")),
            Map.entry("ConfigMapKeySelector", List.of("key")),
            Map.entry("SecretKeySelector", List.of("key")),
            Map.entry("ObjectFieldSelector", List.of("fieldPath")),
            Map.entry("HTTPGetAction", List.of("port")),
            Map.entry("TCPSocketAction", List.of("port")),
            Map.entry("DeploymentSpec", List.of("selector", "template")),
            Map.entry("ReplicaSetSpec", List.of("selector")),
            Map.entry("StatefulSetSpec", List.of("selector", "template")),
            Map.entry("DaemonSetSpec", List.of("selector", "template")),
            Map.entry("JobSpec", List.of("template")),
            Map.entry("CronJobSpec", List.of("schedule", "jobTemplate")),
            Map.entry("LabelSelectorRequirement", List.of("key", "operator")),
            Map.entry("OwnerReference", List.of("apiVersion", "kind", "name", "uid")),
            Map.entry("PolicyRule", List.of("verbs")),
            Map.entry("RoleRef", List.of("apiGroup", "kind", "name")),
            Map.entry("Subject", List.of("kind", "name")),
            Map.entry("RoleBinding", List.of("roleRef")),
            Map.entry("ClusterRoleBinding", List.of("roleRef")),
            Map.entry("PriorityClass", List.of("value")),
            Map.entry("StorageClass", List.of("provisioner")),
            Map.entry("ControllerRevision", List.of("revision")),
            Map.entry("EndpointSlice", List.of("addressType", "endpoints")),
            Map.entry("Endpoint", List.of("addresses")),
            Map.entry("EndpointAddress", List.of("ip")),
            Map.entry("EndpointPort", List.of("port")),
            Map.entry("Condition", List.of("type", "status", "lastTransitionTime", "reason", "message")),
            Map.entry("PodCondition", List.of("type", "status")),
            Map.entry("NodeCondition", List.of("type", "status")),
            Map.entry("DeploymentCondition", List.of("type", "status")),
            Map.entry("JobCondition", List.of("type", "status")),
            Map.entry("Toleration", List.of()),
            Map.entry("Taint", List.of("key", "effect")),
            Map.entry("NodeSelectorRequirement", List.of("key", "operator")),
            Map.entry("NodeSelector", List.of("nodeSelectorTerms")),
            Map.entry("HTTPIngressPath", List.of("pathType", "backend")),
            Map.entry("HTTPIngressRuleValue", List.of("paths")),
            Map.entry("IngressServiceBackend", List.of("name")),
            Map.entry("NetworkPolicySpec", List.of()),
            Map.entry("ScaleTargetRef", List.of("kind", "name")),
            Map.entry("CrossVersionObjectReference", List.of("kind", "name")),
            Map.entry("HorizontalPodAutoscalerSpec", List.of("scaleTargetRef", "maxReplicas")),
            Map.entry("ManagedFieldsEntry", List.of()),
            Map.entry("WatchEvent", List.of("type", "object")),
            Map.entry("StatusCause", List.of()));

    private static final Map<Class<?>, String> NAMES = new ConcurrentHashMap<>();
    private static final Map<String, ObjectNode> SCHEMAS = new ConcurrentHashMap<>();

    private ModelSchemas() {
    }

    /** The upstream schema name of a fabric8 model class, e.g. {@code io.k8s.api.apps.v1.Deployment}. */
    public static String name(Class<?> type) {
        String simple = type.getSimpleName();
        String pkg = type.getPackageName();
        if (pkg.equals(FABRIC8)) {
            return META_TYPES.contains(simple) ? META + simple : "io.k8s.api.core.v1." + simple;
        }
        if (pkg.startsWith(FABRIC8 + ".")) {
            String rest = pkg.substring(FABRIC8.length() + 1);
            if (rest.equals("runtime")) {
                return "io.k8s.apimachinery.pkg.runtime." + simple;
            }
            boolean versioned = rest.matches(".*\\.v\\d+((alpha|beta)\\d+)?$");
            return "io.k8s.api." + rest + (versioned ? "" : ".v1") + "." + simple;
        }
        return type.getName();
    }

    /** Makes the schema of {@code type} and of every type it references; returns its name. */
    public static synchronized String define(Class<?> type) {
        String known = NAMES.get(type);
        if (known != null) {
            return known;
        }
        String name = name(type);
        NAMES.put(type, name);
        ObjectNode schema = Json.object();
        SCHEMAS.put(name, schema);
        schema.put("description", Descriptions.type(type.getSimpleName()));
        ObjectNode properties = Json.object();
        Map<String, Field> fields = new TreeMap<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                JsonProperty property = field.getAnnotation(JsonProperty.class);
                if (property == null || field.isAnnotationPresent(JsonIgnore.class)
                        || Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                String json = property.value().isEmpty() ? field.getName() : property.value();
                fields.putIfAbsent(json, field);
            }
        }
        for (Map.Entry<String, Field> entry : fields.entrySet()) {
            properties.set(entry.getKey(), property(type, entry.getKey(), entry.getValue().getGenericType()));
        }
        List<String> required = REQUIRED.getOrDefault(type.getSimpleName(), List.of()).stream()
                .filter(fields::containsKey).toList();
        if (type.getSimpleName().endsWith("List") && fields.containsKey("items")) {
            required = List.of("items");
        }
        if (!required.isEmpty()) {
            ArrayNode array = schema.putArray("required");
            required.forEach(array::add);
        }
        schema.put("type", "object");
        schema.set("properties", properties);
        return name;
    }

    /** A copy of a named schema, or null. */
    public static synchronized ObjectNode schema(String name) {
        ObjectNode schema = SCHEMAS.get(name);
        return schema == null ? null : schema.deepCopy();
    }

    /** The shared schema itself, for reading only (validation walks it on every write). */
    static ObjectNode shared(String name) {
        return SCHEMAS.get(name);
    }

    /** The names of {@code roots} and of every schema they reach through {@code $ref}s. */
    public static synchronized Set<String> closure(Iterable<String> roots) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> work = new ArrayDeque<>();
        roots.forEach(work::add);
        while (!work.isEmpty()) {
            String name = work.poll();
            if (!seen.add(name)) {
                continue;
            }
            JsonNode schema = SCHEMAS.get(name);
            if (schema != null) {
                collectRefs(schema, work);
            }
        }
        return seen;
    }

    static void collectRefs(JsonNode node, Deque<String> into) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isString() && ref.asString().startsWith(REF)) {
                into.add(ref.asString().substring(REF.length()));
            }
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                collectRefs(entry.getValue(), into);
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, into));
        }
    }

    private static ObjectNode property(Class<?> owner, String json, Type type) {
        ObjectNode schema = value(json, type);
        String text = describe(schema);
        schema.put("description", Descriptions.field(json, text));
        if (schema.path("type").asString("").equals("array")) {
            FieldSemantics.list(owner, json).ifPresent(semantics -> listExtensions(schema, semantics));
        }
        return schema;
    }

    private static void listExtensions(ObjectNode schema, ListSemantics semantics) {
        if (semantics.patchStrategy() != null) {
            schema.put("x-kubernetes-patch-strategy", semantics.patchStrategy());
        }
        if (semantics.patchMergeKey() != null) {
            schema.put("x-kubernetes-patch-merge-key", semantics.patchMergeKey());
        }
        if (semantics.listType() != null) {
            schema.put("x-kubernetes-list-type", semantics.listType());
        }
        if (semantics.listMapKeys() != null && !semantics.listMapKeys().isEmpty()) {
            ArrayNode keys = schema.putArray("x-kubernetes-list-map-keys");
            semantics.listMapKeys().forEach(keys::add);
        }
    }

    /** What a value is, in words, for generated field descriptions. */
    private static String describe(JsonNode schema) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asString().substring(REF.length());
            return switch (ref) {
                case TIME, MICRO_TIME -> "a time in RFC 3339 format";
                case INT_OR_STRING -> "an integer or a string";
                case QUANTITY -> "a quantity such as 100m or 2Gi (a string or a number)";
                default -> "a " + ref.substring(ref.lastIndexOf('.') + 1);
            };
        }
        if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            return "free-form data";
        }
        String type = schema.path("type").asString("");
        return switch (type) {
            case "array" -> "a list of " + plural(describe(schema.get("items")));
            case "object" -> "a map from strings to " + plural(describe(schema.path("additionalProperties")));
            case "integer", "number" -> "a number";
            case "boolean" -> "true or false";
            case "string" -> "a string";
            default -> "a value";
        };
    }

    private static String plural(String single) {
        if (single.startsWith("a ") || single.startsWith("an ")) {
            String rest = single.substring(single.indexOf(' ') + 1);
            return rest.contains(" ") ? rest : rest.endsWith("s") ? rest : rest + (Character.isUpperCase(rest.charAt(0))
                    ? " objects" : "s");
        }
        return single;
    }

    /** The schema of a value of Java type {@code type}, found in JSON field {@code json}. */
    private static ObjectNode value(String json, Type type) {
        if (type instanceof WildcardType wildcard) {
            return value(json, wildcard.getUpperBounds()[0]);
        }
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] args = parameterized.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw) || Set.class.isAssignableFrom(raw)) {
                ObjectNode schema = Json.object();
                schema.put("type", "array");
                schema.set("items", value(json, args[0]));
                return schema;
            }
            if (Map.class.isAssignableFrom(raw)) {
                ObjectNode element = value(json, args[1]);
                if (element.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                    return freeForm();
                }
                ObjectNode schema = Json.object();
                schema.put("type", "object");
                schema.set("additionalProperties", element);
                return schema;
            }
            return freeForm();
        }
        if (!(type instanceof Class<?> c)) {
            return freeForm();
        }
        if (c == String.class) {
            return isTime(json) ? ref(TIME) : scalar("string", null);
        }
        if (c == Integer.class || c == int.class || c == Short.class || c == short.class) {
            return scalar("integer", "int32");
        }
        if (c == Long.class || c == long.class) {
            return scalar("integer", "int64");
        }
        if (c == Boolean.class || c == boolean.class) {
            return scalar("boolean", null);
        }
        if (c == Double.class || c == double.class || c == Float.class || c == float.class) {
            return scalar("number", "double");
        }
        if (c.isEnum()) {
            return scalar("string", null);
        }
        if (List.class.isAssignableFrom(c) || c.isArray()) {
            ObjectNode schema = Json.object();
            schema.put("type", "array");
            schema.set("items", c.isArray() ? value(json, c.getComponentType()) : freeForm());
            return schema;
        }
        switch (c.getName()) {
            case FABRIC8 + ".IntOrString":
                return ref(INT_OR_STRING);
            case FABRIC8 + ".Quantity":
                return ref(QUANTITY);
            case FABRIC8 + ".MicroTime":
                return ref(MICRO_TIME);
            case FABRIC8 + ".FieldsV1":
                return ref(FIELDS_V1);
            case FABRIC8 + ".Duration":
                return scalar("string", null);
            default:
                break;
        }
        if (c.getSimpleName().startsWith("JSONSchemaPropsOr") || c.getSimpleName().equals("JSON")) {
            // a CRD schema's "schema or bool/array" unions and its free JSON values (defaults, enums, examples)
            ObjectNode anything = Json.object();
            anything.put("x-kubernetes-preserve-unknown-fields", true);
            return anything;
        }
        if (c.getName().startsWith(FABRIC8) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())
                && !c.getSimpleName().equals("AnyType") && !c.getSimpleName().equals("RawExtension")) {
            return ref(define(c));
        }
        return freeForm();
    }

    /** String fields that hold upstream's metav1.Time (fabric8 keeps them as plain strings). */
    static boolean isTime(String json) {
        return json.endsWith("Timestamp") || json.endsWith("Time") || json.equals("time") || json.equals("timeAdded")
                || json.equals("startedAt") || json.equals("finishedAt");
    }

    private static ObjectNode ref(String name) {
        ObjectNode schema = Json.object();
        schema.put("$ref", REF + name);
        return schema;
    }

    private static ObjectNode scalar(String type, String format) {
        ObjectNode schema = Json.object();
        schema.put("type", type);
        if (format != null) {
            schema.put("format", format);
        }
        return schema;
    }

    static ObjectNode freeForm() {
        ObjectNode schema = Json.object();
        schema.put("type", "object");
        schema.put("x-kubernetes-preserve-unknown-fields", true);
        return schema;
    }

    static {
        ObjectNode time = scalar("string", "date-time");
        time.put("description", "A point in time, as an RFC 3339 string in UTC, to the second.");
        SCHEMAS.put(TIME, time);
        ObjectNode micro = scalar("string", "date-time");
        micro.put("description", "A point in time, as an RFC 3339 string with microseconds.");
        SCHEMAS.put(MICRO_TIME, micro);
        ObjectNode intOrString = Json.object();
        intOrString.put("description", "Either an integer or a string, such as a port number or name, or a "
                + "percentage.");
        intOrString.put("format", "int-or-string");
        ArrayNode oneOf = intOrString.putArray("oneOf");
        oneOf.add(scalar("integer", null));
        oneOf.add(scalar("string", null));
        intOrString.put("x-kubernetes-int-or-string", true);
        SCHEMAS.put(INT_OR_STRING, intOrString);
        ObjectNode quantity = Json.object();
        quantity.put("description", "A fixed-point amount with an optional unit suffix, such as 500m, 1.5 or 2Gi.");
        ArrayNode quantityTypes = quantity.putArray("oneOf");
        quantityTypes.add(scalar("string", null));
        quantityTypes.add(scalar("number", null));
        quantity.put("x-kubernetes-int-or-string", true);
        SCHEMAS.put(QUANTITY, quantity);
        ObjectNode fields = freeForm();
        fields.put("description", "The set of fields a manager owns, in the FieldsV1 trie format.");
        SCHEMAS.put(FIELDS_V1, fields);
        ObjectNode patch = Json.object();
        patch.put("description", "A patch document; its format is given by the request's content type.");
        patch.put("type", "object");
        SCHEMAS.put(META + "Patch", patch);
    }
}

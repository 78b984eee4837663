package io.k4j.apiserver.apply;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.schema.FieldSemantics;
import io.k4j.apiserver.schema.ListSemantics;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Schemas of kinds for structured merge, read by reflection from fabric8's model classes (the counterparts of
 * upstream's Go types, with the JSON names of their {@code @JsonProperty} fields). List semantics come from a
 * lookup, by default {@link FieldSemantics}; lists it does not describe are atomic, as upstream treats lists
 * without a listType. Kinds without a model class (custom resources) get typed metadata and untyped content.
 */
public final class Schemas {

    /** How one list field of a model class merges; empty when undeclared (atomic). */
    @FunctionalInterface
    public interface ListLookup {
        Optional<ListSemantics> list(Class<?> owner, String jsonField);
    }

    /** Upstream's {@code +structType=atomic} types among the kinds k4j serves (by fabric8 simple class name). */
    static final Set<String> ATOMIC_STRUCTS = Set.of("LabelSelector", "ObjectReference", "LocalObjectReference",
            "TypedLocalObjectReference", "CrossVersionObjectReference", "EndpointAddress", "NodeSelector");

    /** Upstream's {@code +mapType=atomic} fields: owner simple class name → JSON field names. */
    static final Map<String, Set<String>> ATOMIC_MAPS = Map.of("ServiceSpec", Set.of("selector"),
            "ReplicationControllerSpec", Set.of("selector"), "PodSpec", Set.of("nodeSelector"));

    /** Model classes that stand for JSON scalars. */
    private static final Set<String> SCALAR_CLASSES = Set.of("IntOrString", "Quantity", "Duration", "MicroTime",
            "Time");

    private static final Schemas DEFAULT = new Schemas(FieldSemantics::list);

    private final ListLookup lookup;
    private final Map<Class<?>, TypeNode> structs = new ConcurrentHashMap<>();
    private final Map<String, TypeNode> registered = new ConcurrentHashMap<>();

    public Schemas(ListLookup lookup) {
        this.lookup = lookup;
    }

    public static Schemas defaults() {
        return DEFAULT;
    }

    /**
     * Gives a kind its own schema (custom resources with a structural schema, say); it takes precedence over the
     * model classes. {@link #customResource(java.util.function.Function)} builds one with typed metadata.
     */
    public void registerKind(String apiVersion, String kind, TypeNode root) {
        registered.put(apiVersion + "/" + kind, root);
    }

    public void unregisterKind(String apiVersion, String kind) {
        registered.remove(apiVersion + "/" + kind);
    }

    /** The schema of objects of this kind. */
    public TypeNode forKind(String apiVersion, String kind) {
        TypeNode own = registered.get(apiVersion + "/" + kind);
        if (own != null) {
            return own;
        }
        Class<?> model = null;
        try {
            model = Json.SERIALIZATION.getRegisteredKubernetesResource(apiVersion, kind);
        } catch (RuntimeException e) {
            // unknown kind: untyped
        }
        if (model == null || model.getSimpleName().startsWith("Generic")) {
            return customResource();
        }
        return forClass(model);
    }

    /** A custom resource: typed metadata, everything else deduced from the values. */
    public TypeNode customResource() {
        return customResource(name -> TypeNode.UNTYPED);
    }

    /** A custom resource with typed metadata and {@code fields} for its other top-level fields (spec, status). */
    public TypeNode customResource(java.util.function.Function<String, TypeNode> fields) {
        TypeNode metadata = forClass(io.fabric8.kubernetes.api.model.ObjectMeta.class);
        return TypeNode.struct(name -> switch (name) {
            case "metadata" -> metadata;
            case "apiVersion", "kind" -> TypeNode.SCALAR;
            default -> fields.apply(name);
        }, false);
    }

    public TypeNode forClass(Class<?> model) {
        TypeNode known = structs.get(model);
        if (known != null) {
            return known;
        }
        Map<String, TypeNode> resolved = new ConcurrentHashMap<>();
        Map<String, Field> fields = jsonFields(model);
        TypeNode node = TypeNode.struct(name -> {
            Field field = fields.get(name);
            if (field == null) {
                return null;
            }
            return resolved.computeIfAbsent(name, n -> typeOf(field.getGenericType(), model, n));
        }, ATOMIC_STRUCTS.contains(model.getSimpleName()));
        TypeNode raced = structs.putIfAbsent(model, node);
        return raced != null ? raced : node;
    }

    private static Map<String, Field> jsonFields(Class<?> model) {
        Map<String, Field> out = new HashMap<>();
        for (Class<?> c = model; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || field.isAnnotationPresent(JsonIgnore.class)
                        || field.getName().equals("additionalProperties")) {
                    continue;
                }
                JsonProperty property = field.getAnnotation(JsonProperty.class);
                String name = property != null && !property.value().isEmpty() ? property.value() : field.getName();
                out.putIfAbsent(name, field);
            }
        }
        return out;
    }

    private TypeNode typeOf(Type type, Class<?> owner, String jsonName) {
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw) {
            Type[] args = parameterized.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                return listOf(typeOf(args[0], owner, jsonName), owner, jsonName);
            }
            if (Map.class.isAssignableFrom(raw)) {
                boolean atomic = ATOMIC_MAPS.getOrDefault(owner.getSimpleName(), Set.of()).contains(jsonName);
                return TypeNode.map(typeOf(args[1], owner, jsonName), atomic);
            }
            return TypeNode.UNTYPED;
        }
        if (!(type instanceof Class<?> c)) {
            return TypeNode.UNTYPED;
        }
        if (c.isPrimitive() || c.isEnum() || Number.class.isAssignableFrom(c) || c == String.class
                || c == Boolean.class || SCALAR_CLASSES.contains(c.getSimpleName()) && c.getName().startsWith("io.fabric8")) {
            return TypeNode.SCALAR;
        }
        if (List.class.isAssignableFrom(c)) {
            return listOf(TypeNode.UNTYPED, owner, jsonName);
        }
        if (c.getName().startsWith("io.fabric8.kubernetes.api.model") && !Map.class.isAssignableFrom(c)
                && !c.getSimpleName().equals("AnyType") && !c.getSimpleName().equals("RawExtension")) {
            return forClass(c);
        }
        return TypeNode.UNTYPED;
    }

    private TypeNode listOf(TypeNode element, Class<?> owner, String jsonName) {
        ListSemantics semantics = lookup.list(owner, jsonName).orElse(null);
        if (semantics == null) {
            return TypeNode.atomicList(element);
        }
        String type = semantics.listType();
        if ("map".equals(type) && semantics.listMapKeys() != null && !semantics.listMapKeys().isEmpty()) {
            return TypeNode.mapList(element, semantics.listMapKeys());
        }
        if ("set".equals(type)) {
            return TypeNode.setList(element);
        }
        if (type == null && semantics.mergesByKey()) {
            return TypeNode.mapList(element, List.of(semantics.patchMergeKey()));
        }
        if (type == null && semantics.patchStrategy() != null && semantics.patchStrategy().contains("merge")
                && element.kind() == TypeNode.Kind.SCALAR) {
            return TypeNode.setList(element);
        }
        return TypeNode.atomicList(element);
    }
}

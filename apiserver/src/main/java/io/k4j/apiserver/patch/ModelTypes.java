package io.k4j.apiserver.patch;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.k4j.apiserver.api.Json;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fabric8 model classes as a schema: which class holds a built-in kind, and the declared Java type of each JSON
 * property of a model class. This is the counterpart of the Go structs whose tags strategic merge patch reads.
 */
public final class ModelTypes {

    /**
     * The API groups compiled into upstream's API server. Objects of other groups are custom resources, which have no
     * struct to take merge semantics from, even when fabric8 happens to ship a model class for them.
     */
    private static final Set<String> BUILT_IN_GROUPS = Set.of("", "apps", "batch", "autoscaling", "policy",
            "admissionregistration.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io",
            "authentication.k8s.io", "authorization.k8s.io", "certificates.k8s.io", "coordination.k8s.io",
            "discovery.k8s.io", "events.k8s.io", "flowcontrol.apiserver.k8s.io", "internal.apiserver.k8s.io",
            "networking.k8s.io", "node.k8s.io", "rbac.authorization.k8s.io", "resource.k8s.io", "scheduling.k8s.io",
            "storage.k8s.io", "storagemigration.k8s.io");

    private static final Map<Class<?>, Map<String, Type>> PROPERTIES = new ConcurrentHashMap<>();

    private ModelTypes() {
    }

    /** The model class of a built-in kind, or empty for custom resources and unknown kinds. */
    public static Optional<Class<?>> builtIn(String apiVersion, String kind) {
        if (apiVersion == null || kind == null || apiVersion.isEmpty() || kind.isEmpty()) {
            return Optional.empty();
        }
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        if (!BUILT_IN_GROUPS.contains(group)) {
            return Optional.empty();
        }
        return Optional.ofNullable(Json.SERIALIZATION.getRegisteredKubernetesResource(apiVersion, kind));
    }

    /** The raw class of a declared type, or null when it is not a concrete class (type variables, Object). */
    public static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c == Object.class ? null : c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return null;
    }

    /** The declared type of JSON property {@code name} where the value's declared type is {@code type}. */
    public static Type propertyType(Type type, String name) {
        if (type == null) {
            return null;
        }
        if (isMap(type)) {
            return typeArgument(type, 1);
        }
        Class<?> c = rawClass(type);
        if (c == null || isList(type)) {
            return null;
        }
        return properties(c).get(name);
    }

    /** The element type of a declared list type, or null. */
    public static Type elementType(Type type) {
        return isList(type) ? typeArgument(type, 0) : null;
    }

    public static boolean isList(Type type) {
        Class<?> c = rawClass(type);
        return c != null && List.class.isAssignableFrom(c);
    }

    public static boolean isMap(Type type) {
        Class<?> c = rawClass(type);
        return c != null && Map.class.isAssignableFrom(c);
    }

    /** The JSON properties a model class declares (its own and its superclasses'), with their declared types. */
    public static Map<String, Type> properties(Class<?> c) {
        return PROPERTIES.computeIfAbsent(c, ModelTypes::scan);
    }

    private static Map<String, Type> scan(Class<?> c) {
        Map<String, Type> found = new HashMap<>();
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field field : k.getDeclaredFields()) {
                JsonProperty property = field.getAnnotation(JsonProperty.class);
                if (property != null && !property.value().isEmpty()) {
                    found.putIfAbsent(property.value(), field.getGenericType());
                }
            }
        }
        return Map.copyOf(found);
    }

    private static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
            Type argument = p.getActualTypeArguments()[index];
            if (argument instanceof WildcardType w && w.getUpperBounds().length == 1) {
                argument = w.getUpperBounds()[0];
            }
            return argument;
        }
        return null;
    }
}

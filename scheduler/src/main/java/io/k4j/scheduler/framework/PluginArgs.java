package io.k4j.scheduler.framework;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;

/**
 * A plugin's args from the profile's pluginConfig (for example NodeResourcesFitArgs), as the parsed YAML map. Typed
 * reads convert through fabric8's serialization so nested Kubernetes types (topology spread constraints, ...) come
 * out as model objects.
 */
public record PluginArgs(Map<String, Object> values) {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    public static final PluginArgs NONE = new PluginArgs(Map.of());

    public PluginArgs {
        values = values == null ? Map.of() : values;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String string(String name, String defaultValue) {
        Object value = values.get(name);
        return value == null ? defaultValue : value.toString();
    }

    public long number(String name, long defaultValue) {
        return number(values.get(name), defaultValue, "plugin arg " + name);
    }

    /** A number from a parsed YAML value (nested args too); path names it in the error. */
    public static long number(Object value, long defaultValue, String path) {
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        try {
            return Long.parseLong(value.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(path + ": not a number: " + value);
        }
    }

    /** A nested value converted to a type, e.g. {@code as("scoringStrategy", Map.class)}; null when absent. */
    public <T> T as(String name, Class<T> type) {
        Object value = values.get(name);
        return value == null ? null : SERIALIZATION.convertValue(value, type);
    }

    /** A list whose elements are converted to a type; empty when absent. */
    public <T> List<T> list(String name, Class<T> elementType) {
        Object value = values.get(name);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> items)) {
            throw new IllegalArgumentException("plugin arg " + name + ": not a list");
        }
        return items.stream().map(item -> SERIALIZATION.convertValue(item, elementType)).toList();
    }
}

package io.k4j.scheduler.plugins.noderesources;

import io.k4j.scheduler.framework.PluginArgs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A resource a scoring strategy looks at, with its weight (upstream's config.ResourceSpec). */
public record ResourceSpec(String name, long weight) {

    /** cpu and memory, weight 1 each: the default for both NodeResourcesFit and NodeResourcesBalancedAllocation. */
    public static final List<ResourceSpec> DEFAULTS = List.of(new ResourceSpec("cpu", 1), new ResourceSpec("memory", 1));

    /**
     * Reads a list of {name, weight} maps; an absent or empty list gives the defaults and a weight of 0 (or none)
     * becomes 1, as upstream's v1 defaulting; a weight outside [1, 100] or a repeated name is an error.
     */
    static List<ResourceSpec> parse(Object value, String path) {
        if (value == null) {
            return DEFAULTS;
        }
        if (!(value instanceof List<?> items)) {
            throw new IllegalArgumentException(path + ": not a list");
        }
        if (items.isEmpty()) {
            return DEFAULTS;
        }
        List<ResourceSpec> specs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof Map<?, ?> item)) {
                throw new IllegalArgumentException(path + "[" + i + "]: not an object");
            }
            Object name = item.get("name");
            if (name == null || name.toString().isEmpty()) {
                throw new IllegalArgumentException(path + "[" + i + "].name: Required value");
            }
            long weight = PluginArgs.number(item.get("weight"), 0, path + "[" + i + "].weight");
            if (weight == 0) {
                weight = 1;
            }
            if (weight < 1 || weight > 100) {
                throw new IllegalArgumentException(path + "[" + i + "].weight: Invalid value: " + weight
                        + ": resource weight of " + name + " not in valid range [1, 100]");
            }
            for (ResourceSpec existing : specs) {
                if (existing.name().equals(name.toString())) {
                    throw new IllegalArgumentException(path + "[" + i + "].name: Duplicate value: " + name);
                }
            }
            specs.add(new ResourceSpec(name.toString(), weight));
        }
        return List.copyOf(specs);
    }
}

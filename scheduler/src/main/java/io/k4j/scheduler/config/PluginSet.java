package io.k4j.scheduler.config;

import java.util.List;

/** One extension point's plugins in a profile: those enabled (in order, with score weights) and those disabled. */
public record PluginSet(List<Entry> enabled, List<String> disabled) {

    /** The name that disables every default plugin at a point. */
    public static final String ALL = "*";

    public static final PluginSet EMPTY = new PluginSet(List.of(), List.of());

    /** weight 0 means "not set" (the default weight applies). */
    public record Entry(String name, int weight) {
    }

    public PluginSet {
        enabled = List.copyOf(enabled);
        disabled = List.copyOf(disabled);
    }

    public boolean disables(String name) {
        return disabled.contains(ALL) || disabled.contains(name);
    }
}

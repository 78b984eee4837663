package io.k4j.scheduler.plugins;

import io.k4j.scheduler.framework.PluginFactory;
import io.k4j.scheduler.plugins.defaultpreemption.DefaultPreemption;
import java.util.Map;

/** The preemption plugins, for the registry of in-tree plugins. */
public final class PreemptionPlugins {

    private PreemptionPlugins() {
    }

    public static void register(Map<String, PluginFactory> registry) {
        registry.put(DefaultPreemption.NAME, DefaultPreemption::new);
    }
}

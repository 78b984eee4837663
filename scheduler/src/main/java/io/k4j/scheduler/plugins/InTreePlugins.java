package io.k4j.scheduler.plugins;

import io.k4j.scheduler.framework.PluginFactory;
import io.k4j.scheduler.plugins.defaultbinder.DefaultBinder;
import java.util.HashMap;
import java.util.Map;

/** Every plugin k4j ships, by upstream name: what profiles may enable. */
public final class InTreePlugins {

    private InTreePlugins() {
    }

    public static Map<String, PluginFactory> registry() {
        Map<String, PluginFactory> registry = new HashMap<>();
        BasicPlugins.register(registry);
        AffinityPlugins.register(registry);
        PreemptionPlugins.register(registry);
        registry.put(DefaultBinder.NAME, DefaultBinder::new);
        return registry;
    }
}

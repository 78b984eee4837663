package io.k4j.scheduler.plugins;

import io.k4j.scheduler.framework.PluginFactory;
import io.k4j.scheduler.plugins.interpodaffinity.InterPodAffinity;
import io.k4j.scheduler.plugins.podtopologyspread.PodTopologySpread;
import java.util.Map;

/** Registers the pod-placement plugins that look at other pods: PodTopologySpread and InterPodAffinity. */
public final class AffinityPlugins {

    private AffinityPlugins() {
    }

    public static void register(Map<String, PluginFactory> registry) {
        registry.put(PodTopologySpread.NAME, PodTopologySpread::new);
        registry.put(InterPodAffinity.NAME, InterPodAffinity::new);
    }
}

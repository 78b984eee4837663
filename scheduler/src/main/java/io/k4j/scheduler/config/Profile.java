package io.k4j.scheduler.config;

import io.k4j.scheduler.framework.PluginArgs;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One scheduling profile as configured: the schedulerName pods select it by, the custom plugin sets (merged with the
 * defaults when the framework is built), plugin args, and percentageOfNodesToScore (null: the scheduler-wide value).
 */
public record Profile(String schedulerName, PluginSet multiPoint, Map<ExtensionPoint, PluginSet> points,
                      Map<String, PluginArgs> pluginConfig, Integer percentageOfNodesToScore) {

    public static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";

    public Profile {
        points = points.isEmpty() ? Map.of() : new EnumMap<>(points);
        pluginConfig = Map.copyOf(pluginConfig);
    }

    /** The default profile: upstream's default plugins, no args. */
    public static Profile defaults() {
        return new Profile(DEFAULT_SCHEDULER_NAME, PluginSet.EMPTY, Map.of(), Map.of(), null);
    }

    public PluginSet point(ExtensionPoint point) {
        return points.getOrDefault(point, PluginSet.EMPTY);
    }

    public PluginArgs args(String plugin) {
        return pluginConfig.getOrDefault(plugin, PluginArgs.NONE);
    }

    /** The default plugins, in upstream's order, with upstream's score weights. */
    public static final List<PluginSet.Entry> DEFAULT_PLUGINS = List.of(
            new PluginSet.Entry("SchedulingGates", 0),
            new PluginSet.Entry("PrioritySort", 0),
            new PluginSet.Entry("NodeUnschedulable", 0),
            new PluginSet.Entry("NodeName", 0),
            new PluginSet.Entry("TaintToleration", 3),
            new PluginSet.Entry("NodeAffinity", 2),
            new PluginSet.Entry("NodePorts", 0),
            new PluginSet.Entry("NodeResourcesFit", 1),
            new PluginSet.Entry("PodTopologySpread", 2),
            new PluginSet.Entry("InterPodAffinity", 2),
            new PluginSet.Entry("DefaultPreemption", 0),
            new PluginSet.Entry("NodeResourcesBalancedAllocation", 1),
            new PluginSet.Entry("ImageLocality", 1),
            new PluginSet.Entry("DefaultBinder", 0));
}

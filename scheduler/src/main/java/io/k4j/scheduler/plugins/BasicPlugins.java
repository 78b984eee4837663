package io.k4j.scheduler.plugins;

import io.k4j.scheduler.framework.PluginFactory;
import io.k4j.scheduler.plugins.imagelocality.ImageLocality;
import io.k4j.scheduler.plugins.nodeaffinity.NodeAffinity;
import io.k4j.scheduler.plugins.nodename.NodeName;
import io.k4j.scheduler.plugins.nodeports.NodePorts;
import io.k4j.scheduler.plugins.noderesources.BalancedAllocation;
import io.k4j.scheduler.plugins.noderesources.Fit;
import io.k4j.scheduler.plugins.nodeunschedulable.NodeUnschedulable;
import io.k4j.scheduler.plugins.queuesort.PrioritySort;
import io.k4j.scheduler.plugins.schedulinggates.SchedulingGates;
import io.k4j.scheduler.plugins.tainttoleration.TaintToleration;
import java.util.Map;

/**
 * The in-tree plugins that look only at the pod and the node: queue sort, scheduling gates, node name,
 * unschedulable, taints, node affinity, host ports, resources and image locality.
 */
public final class BasicPlugins {

    private BasicPlugins() {
    }

    /** Puts each plugin's factory under its upstream name. */
    public static void register(Map<String, PluginFactory> registry) {
        registry.put(PrioritySort.NAME, PrioritySort::new);
        registry.put(SchedulingGates.NAME, SchedulingGates::new);
        registry.put(NodeUnschedulable.NAME, NodeUnschedulable::new);
        registry.put(NodeName.NAME, NodeName::new);
        registry.put(TaintToleration.NAME, TaintToleration::new);
        registry.put(NodeAffinity.NAME, NodeAffinity::new);
        registry.put(NodePorts.NAME, NodePorts::new);
        registry.put(Fit.NAME, Fit::new);
        registry.put(BalancedAllocation.NAME, BalancedAllocation::new);
        registry.put(ImageLocality.NAME, ImageLocality::new);
    }
}

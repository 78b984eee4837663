package io.k4j.scheduler.testing;

import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.FilterPlugin;
import io.k4j.scheduler.framework.Handle;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.Plugin;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.PreFilterPlugin;
import io.k4j.scheduler.framework.Snapshot;
import io.k4j.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Handle.PluginRunner} over a fixed list of plugins, for tests of plugins that run others (preemption):
 * each plugin takes the points it implements (PreFilter with its extensions, Filter), in the order given.
 * {@link #preFilter} and {@link #filterAll} do what the framework does before PostFilter, so a test can get the
 * cycle state and node statuses a real cycle would hand to it.
 */
public final class TestRunner implements Handle.PluginRunner {

    private final List<PreFilterPlugin> preFilters = new ArrayList<>();
    private final List<FilterPlugin> filters = new ArrayList<>();
    /** Every AddPod/RemovePod call, as "add pod/key node" and "remove pod/key node". */
    public final List<String> calls = new ArrayList<>();

    public TestRunner(List<? extends Plugin> plugins) {
        for (Plugin plugin : plugins) {
            if (plugin instanceof PreFilterPlugin preFilter) {
                preFilters.add(preFilter);
            }
            if (plugin instanceof FilterPlugin filter) {
                filters.add(filter);
            }
        }
    }

    public static TestRunner of(Plugin... plugins) {
        return new TestRunner(List.of(plugins));
    }

    /** The PreFilter point, writing into state; the first non-success status (with its plugin), else success. */
    public Status preFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
        for (PreFilterPlugin plugin : preFilters) {
            Status status = plugin.preFilter(state, pod, snapshot).status();
            if (!status.isSuccess() && !status.isSkip()) {
                return status.withPlugin(plugin.name());
            }
        }
        return Status.success();
    }

    /** The Filter point on every node of the snapshot: each node's status, as the framework hands to PostFilter. */
    public Map<String, Status> filterAll(CycleState state, PodInfo pod, Snapshot snapshot) {
        Map<String, Status> statuses = new HashMap<>();
        for (NodeInfo node : snapshot.nodes()) {
            statuses.put(node.name(), runFilters(state, pod, node));
        }
        return statuses;
    }

    @Override
    public Status runFilters(CycleState state, PodInfo pod, NodeInfo node) {
        for (FilterPlugin plugin : filters) {
            Status status = plugin.filter(state, pod, node);
            if (!status.isSuccess()) {
                return status.withPlugin(plugin.name());
            }
        }
        return Status.success();
    }

    @Override
    public Status runPreFilterAddPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node) {
        calls.add("add " + podToAdd.key() + " " + node.name());
        for (PreFilterPlugin plugin : preFilters) {
            PreFilterPlugin.Extensions extensions = plugin.extensions();
            if (extensions == null) {
                continue;
            }
            Status status = extensions.addPod(state, podToSchedule, podToAdd, node);
            if (!status.isSuccess()) {
                return status.withPlugin(plugin.name());
            }
        }
        return Status.success();
    }

    @Override
    public Status runPreFilterRemovePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node) {
        calls.add("remove " + podToRemove.key() + " " + node.name());
        for (PreFilterPlugin plugin : preFilters) {
            PreFilterPlugin.Extensions extensions = plugin.extensions();
            if (extensions == null) {
                continue;
            }
            Status status = extensions.removePod(state, podToSchedule, podToRemove, node);
            if (!status.isSuccess()) {
                return status.withPlugin(plugin.name());
            }
        }
        return Status.success();
    }
}

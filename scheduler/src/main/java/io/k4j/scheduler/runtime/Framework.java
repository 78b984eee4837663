package io.k4j.scheduler.runtime;

import io.k4j.scheduler.config.ExtensionPoint;
import io.k4j.scheduler.config.PluginSet;
import io.k4j.scheduler.config.Profile;
import io.k4j.scheduler.framework.BindPlugin;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.EnqueueExtensions;
import io.k4j.scheduler.framework.FilterPlugin;
import io.k4j.scheduler.framework.Handle;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PermitPlugin;
import io.k4j.scheduler.framework.Plugin;
import io.k4j.scheduler.framework.PluginFactory;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.PostBindPlugin;
import io.k4j.scheduler.framework.PostFilterPlugin;
import io.k4j.scheduler.framework.PreBindPlugin;
import io.k4j.scheduler.framework.PreEnqueuePlugin;
import io.k4j.scheduler.framework.PreFilterPlugin;
import io.k4j.scheduler.framework.PreScorePlugin;
import io.k4j.scheduler.framework.QueueSortPlugin;
import io.k4j.scheduler.framework.ReservePlugin;
import io.k4j.scheduler.framework.ScorePlugin;
import io.k4j.scheduler.framework.Snapshot;
import io.k4j.scheduler.framework.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One profile's plugins, instantiated and ordered per extension point, and the code that runs each point. The
 * scheduling algorithm drives it; preemption reaches it through {@link Handle.PluginRunner}.
 */
public final class Framework implements Handle.PluginRunner {

    /** Which plugins' PreFilter / PreScore said SKIP this cycle, so their Filter / Score are not run. */
    static final class Skipped implements CycleState.Data {
        static final CycleState.Key<Skipped> KEY = new CycleState.Key<>("framework/skipped");

        private final Set<String> filters;
        private final Set<String> scores;
        private List<FilterPlugin> activeFilters;

        Skipped(Set<String> filters, Set<String> scores) {
            this.filters = filters;
            this.scores = scores;
        }

        Set<String> filters() {
            return filters;
        }

        Set<String> scores() {
            return scores;
        }

        /**
         * The Filter plugins not skipped, worked out on first use after PreFilter (which alone adds to the skipped
         * ones) rather than once per plugin per node.
         */
        List<FilterPlugin> activeFilters(List<FilterPlugin> all) {
            if (activeFilters == null) {
                activeFilters = all.stream().filter(plugin -> !filters.contains(plugin.name())).toList();
            }
            return activeFilters;
        }

        @Override
        public CycleState.Data copy() {
            return new Skipped(new HashSet<>(filters), new HashSet<>(scores));
        }
    }

    /** PreFilter's outcome: a status (with the rejecting plugin) and the nodes it narrowed to (null: all). */
    public record PreFilterOutcome(Status status, Set<String> nodeNames) {
    }

    /** Total weighted score per node, and each plugin's weighted scores for the explanation. */
    public record Scores(long[] totals, Map<String, long[]> byPlugin) {
    }

    private final Profile profile;
    private final Map<String, Plugin> plugins;
    private final Map<ExtensionPoint, List<Plugin>> byPoint;
    private final Map<String, Integer> weights;
    private final WaitingPods waitingPods = new WaitingPods();

    private Framework(Profile profile, Map<String, Plugin> plugins, Map<ExtensionPoint, List<Plugin>> byPoint,
                      Map<String, Integer> weights) {
        this.profile = profile;
        this.plugins = plugins;
        this.byPoint = byPoint;
        this.weights = weights;
    }

    /**
     * Builds a profile's framework: upstream's default plugins (a multiPoint set), then the profile's multiPoint
     * changes, then its per-point enabled/disabled lists. Every plugin is created once and shared by its points.
     *
     * @param handles gives each framework its handle; the handle's runner must be the framework being built
     */
    public static Framework build(Profile profile, Map<String, PluginFactory> registry, HandleFactory handles) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        List<String> multiPoint = new ArrayList<>();
        for (PluginSet.Entry entry : Profile.DEFAULT_PLUGINS) {
            if (!profile.multiPoint().disables(entry.name())) {
                multiPoint.add(entry.name());
                weights.put(entry.name(), entry.weight());
            }
        }
        for (PluginSet.Entry entry : profile.multiPoint().enabled()) {
            if (!multiPoint.contains(entry.name())) {
                multiPoint.add(entry.name());
            }
            if (entry.weight() > 0) {
                weights.put(entry.name(), entry.weight());
            }
        }
        Set<String> names = new java.util.LinkedHashSet<>(multiPoint);
        for (ExtensionPoint point : ExtensionPoint.values()) {
            profile.point(point).enabled().forEach(entry -> names.add(entry.name()));
        }
        Framework framework = new Framework(profile, new LinkedHashMap<>(), new EnumMap<>(ExtensionPoint.class), weights);
        Handle handle = handles.create(framework);
        for (String name : names) {
            PluginFactory factory = registry.get(name);
            if (factory == null) {
                throw new IllegalArgumentException("profile " + profile.schedulerName() + ": unknown plugin \"" + name + "\"");
            }
            framework.plugins.put(name, factory.create(profile.args(name), handle));
        }
        for (ExtensionPoint point : ExtensionPoint.values()) {
            PluginSet custom = profile.point(point);
            List<Plugin> enabled = new ArrayList<>();
            for (String name : multiPoint) {
                Plugin plugin = framework.plugins.get(name);
                if (point.implementedBy(plugin) && !custom.disables(name)) {
                    enabled.add(plugin);
                }
            }
            for (PluginSet.Entry entry : custom.enabled()) {
                Plugin plugin = framework.plugins.get(entry.name());
                if (!point.implementedBy(plugin)) {
                    throw new IllegalArgumentException("profile " + profile.schedulerName() + ": plugin " + entry.name()
                            + " does not implement the " + point.configName() + " extension point");
                }
                if (!enabled.contains(plugin)) {
                    enabled.add(plugin);
                }
                if (point == ExtensionPoint.SCORE && entry.weight() > 0) {
                    weights.put(entry.name(), entry.weight());
                }
            }
            framework.byPoint.put(point, List.copyOf(enabled));
        }
        if (framework.point(ExtensionPoint.QUEUE_SORT).size() != 1) {
            throw new IllegalArgumentException("profile " + profile.schedulerName() + ": exactly one queueSort plugin must be enabled, got "
                    + framework.pluginNames(ExtensionPoint.QUEUE_SORT));
        }
        if (framework.point(ExtensionPoint.BIND).isEmpty()) {
            throw new IllegalArgumentException("profile " + profile.schedulerName() + ": at least one bind plugin must be enabled");
        }
        return framework;
    }

    /** Makes the handle a framework's plugins get. */
    @FunctionalInterface
    public interface HandleFactory {
        Handle create(Handle.PluginRunner runner);
    }

    public Profile profile() {
        return profile;
    }

    public String schedulerName() {
        return profile.schedulerName();
    }

    @SuppressWarnings("unchecked")
    private <T> List<T> point(ExtensionPoint point) {
        return (List<T>) byPoint.getOrDefault(point, List.of());
    }

    /** The plugin names enabled at a point, in order. */
    public List<String> pluginNames(ExtensionPoint point) {
        return byPoint.getOrDefault(point, List.of()).stream().map(Plugin::name).toList();
    }

    /** The score weight of a plugin (1 when neither the defaults nor the profile set one). */
    public int weight(String plugin) {
        int weight = weights.getOrDefault(plugin, 0);
        return weight > 0 ? weight : 1;
    }

    public QueueSortPlugin queueSort() {
        return (QueueSortPlugin) point(ExtensionPoint.QUEUE_SORT).getFirst();
    }

    /** The cluster events each enabled plugin registered, by plugin name. */
    public Map<String, List<EnqueueExtensions.Registration>> eventRegistrations() {
        Map<String, List<EnqueueExtensions.Registration>> registrations = new LinkedHashMap<>();
        plugins.forEach((name, plugin) -> {
            if (plugin instanceof EnqueueExtensions extensions) {
                registrations.put(name, extensions.eventsToRegister());
            }
        });
        return registrations;
    }

    public WaitingPods waitingPods() {
        return waitingPods;
    }

    public Status runPreEnqueue(PodInfo pod) {
        for (PreEnqueuePlugin plugin : this.<PreEnqueuePlugin>point(ExtensionPoint.PRE_ENQUEUE)) {
            Status status = plugin.preEnqueue(pod);
            if (!status.isSuccess()) {
                return status.withPlugin(plugin.name());
            }
        }
        return Status.success();
    }

    public PreFilterOutcome runPreFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
        Skipped skipped = new Skipped(new HashSet<>(), new HashSet<>());
        state.write(Skipped.KEY, skipped);
        Set<String> nodes = null;
        for (PreFilterPlugin plugin : this.<PreFilterPlugin>point(ExtensionPoint.PRE_FILTER)) {
            PreFilterPlugin.Result result = plugin.preFilter(state, pod, snapshot);
            Status status = result.status();
            if (status.isSkip()) {
                skipped.filters().add(plugin.name());
                continue;
            }
            if (!status.isSuccess()) {
                return new PreFilterOutcome(status.withPlugin(plugin.name()), nodes);
            }
            if (result.nodeNames() != null) {
                if (nodes == null) {
                    nodes = new HashSet<>(result.nodeNames());
                } else {
                    nodes.retainAll(result.nodeNames());
                }
                if (nodes.isEmpty()) {
                    return new PreFilterOutcome(Status.unresolvable(
                            "node(s) didn't satisfy plugin(s) [" + plugin.name() + "] simultaneously").withPlugin(plugin.name()), nodes);
                }
            }
        }
        return new PreFilterOutcome(Status.success(), nodes);
    }

    @Override
    public Status runFilters(CycleState state, PodInfo pod, NodeInfo node) {
        Skipped skipped = state.read(Skipped.KEY);
        List<FilterPlugin> all = point(ExtensionPoint.FILTER);
        for (FilterPlugin plugin : skipped == null ? all : skipped.activeFilters(all)) {
            Status status = plugin.filter(state, pod, node);
            if (!status.isSuccess()) {
                return status.withPlugin(plugin.name());
            }
        }
        return Status.success();
    }

    @Override
    public Status runPreFilterAddPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node) {
        return runPreFilterExtension(state, plugin -> plugin.addPod(state, podToSchedule, podToAdd, node));
    }

    @Override
    public Status runPreFilterRemovePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node) {
        return runPreFilterExtension(state, plugin -> plugin.removePod(state, podToSchedule, podToRemove, node));
    }

    private Status runPreFilterExtension(CycleState state, java.util.function.Function<PreFilterPlugin.Extensions, Status> call) {
        Skipped skipped = state.read(Skipped.KEY);
        for (PreFilterPlugin plugin : this.<PreFilterPlugin>point(ExtensionPoint.PRE_FILTER)) {
            PreFilterPlugin.Extensions extensions = plugin.extensions();
            if (extensions == null || skipped != null && skipped.filters().contains(plugin.name())) {
                continue;
            }
            Status status = call.apply(extensions);
            if (!status.isSuccess()) {
                return status.withPlugin(plugin.name());
            }
        }
        return Status.success();
    }

    public boolean hasPostFilter() {
        return !point(ExtensionPoint.POST_FILTER).isEmpty();
    }

    /** The first PostFilter that succeeds wins; otherwise the rejections' messages, joined. */
    public PostFilterPlugin.Result runPostFilter(CycleState state, PodInfo pod, Map<String, Status> nodeStatuses) {
        List<String> reasons = new ArrayList<>();
        for (PostFilterPlugin plugin : this.<PostFilterPlugin>point(ExtensionPoint.POST_FILTER)) {
            PostFilterPlugin.Result result = plugin.postFilter(state, pod, nodeStatuses);
            if (result.status().isSuccess()) {
                return new PostFilterPlugin.Result(result.status().withPlugin(plugin.name()), result.nominatedNodeName());
            }
            if (result.status().code() == io.k4j.scheduler.framework.Code.ERROR) {
                return new PostFilterPlugin.Result(result.status().withPlugin(plugin.name()), null);
            }
            reasons.addAll(result.status().reasons());
        }
        return new PostFilterPlugin.Result(new Status(io.k4j.scheduler.framework.Code.UNSCHEDULABLE, reasons, null, null), null);
    }

    public Status runPreScore(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
        Skipped skipped = state.read(Skipped.KEY);
        for (PreScorePlugin plugin : this.<PreScorePlugin>point(ExtensionPoint.PRE_SCORE)) {
            Status status = plugin.preScore(state, pod, nodes);
            if (status.isSkip()) {
                skipped.scores().add(plugin.name());
            } else if (!status.isSuccess()) {
                return status.withPlugin(plugin.name());
            }
        }
        return Status.success();
    }

    /** Each Score plugin over every node, normalised, weighted and summed. */
    public Scores runScore(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
        Skipped skipped = state.read(Skipped.KEY);
        long[] totals = new long[nodes.size()];
        Map<String, long[]> byPlugin = new LinkedHashMap<>();
        for (ScorePlugin plugin : this.<ScorePlugin>point(ExtensionPoint.SCORE)) {
            if (skipped != null && skipped.scores().contains(plugin.name())) {
                continue;
            }
            long[] scores = new long[nodes.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = plugin.score(state, pod, nodes.get(i));
            }
            plugin.normalizeScores(state, pod, nodes, scores);
            int weight = weight(plugin.name());
            for (int i = 0; i < scores.length; i++) {
                if (scores[i] < ScorePlugin.MIN_NODE_SCORE || scores[i] > ScorePlugin.MAX_NODE_SCORE) {
                    throw new IllegalStateException("plugin " + plugin.name() + " returned score " + scores[i]
                            + " for node " + nodes.get(i).name() + ", outside [0, 100]");
                }
                scores[i] *= weight;
                totals[i] += scores[i];
            }
            byPlugin.put(plugin.name(), scores);
        }
        return new Scores(totals, byPlugin);
    }

    public Status runReserve(CycleState state, PodInfo pod, String node) {
        for (ReservePlugin plugin : this.<ReservePlugin>point(ExtensionPoint.RESERVE)) {
            Status status = plugin.reserve(state, pod, node);
            if (!status.isSuccess()) {
                return status.withPlugin(plugin.name());
            }
        }
        return Status.success();
    }

    /** Unreserve runs in reverse order, for every Reserve plugin (upstream calls all of them). */
    public void runUnreserve(CycleState state, PodInfo pod, String node) {
        List<ReservePlugin> reserve = point(ExtensionPoint.RESERVE);
        for (ReservePlugin plugin : reserve.reversed()) {
            plugin.unreserve(state, pod, node);
        }
    }

    /**
     * Permit: a rejection wins; WAIT from any plugin parks the pod in {@link #waitingPods()} for the longest timeout
     * asked, and {@link #waitOnPermit} blocks the binding cycle until it is allowed, rejected or timed out.
     */
    public Status runPermit(CycleState state, PodInfo pod, String node) {
        Duration longest = null;
        List<String> waitingFor = new ArrayList<>();
        for (PermitPlugin plugin : this.<PermitPlugin>point(ExtensionPoint.PERMIT)) {
            PermitPlugin.Result result = plugin.permit(state, pod, node);
            Status status = result.status();
            if (status.code() == io.k4j.scheduler.framework.Code.WAIT) {
                waitingFor.add(plugin.name());
                longest = longest == null || result.timeout().compareTo(longest) > 0 ? result.timeout() : longest;
            } else if (!status.isSuccess()) {
                return status.withPlugin(plugin.name());
            }
        }
        if (!waitingFor.isEmpty()) {
            waitingPods.park(pod, node, waitingFor, longest);
            return Status.of(io.k4j.scheduler.framework.Code.WAIT);
        }
        return Status.success();
    }

    public Status waitOnPermit(PodInfo pod) {
        return waitingPods.await(pod);
    }

    public Status runPreBind(CycleState state, PodInfo pod, String node) {
        for (PreBindPlugin plugin : this.<PreBindPlugin>point(ExtensionPoint.PRE_BIND)) {
            Status status = plugin.preBind(state, pod, node);
            if (!status.isSuccess()) {
                return status.withPlugin(plugin.name());
            }
        }
        return Status.success();
    }

    /** Binders in order until one does not SKIP. */
    public Status runBind(CycleState state, PodInfo pod, String node) {
        for (BindPlugin plugin : this.<BindPlugin>point(ExtensionPoint.BIND)) {
            Status status = plugin.bind(state, pod, node);
            if (!status.isSkip()) {
                return status.withPlugin(plugin.name());
            }
        }
        return Status.error("no bind plugin bound pod " + pod.key());
    }

    public void runPostBind(CycleState state, PodInfo pod, String node) {
        for (PostBindPlugin plugin : this.<PostBindPlugin>point(ExtensionPoint.POST_BIND)) {
            plugin.postBind(state, pod, node);
        }
    }
}

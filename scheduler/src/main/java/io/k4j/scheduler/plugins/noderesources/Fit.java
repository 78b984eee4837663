package io.k4j.scheduler.plugins.noderesources;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.k4j.scheduler.framework.ClusterEvent;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.EnqueueExtensions;
import io.k4j.scheduler.framework.FilterPlugin;
import io.k4j.scheduler.framework.Handle;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.PreFilterPlugin;
import io.k4j.scheduler.framework.PreScorePlugin;
import io.k4j.scheduler.framework.Resources;
import io.k4j.scheduler.framework.ScorePlugin;
import io.k4j.scheduler.framework.Snapshot;
import io.k4j.scheduler.framework.Status;
import io.k4j.scheduler.plugins.EventObjects;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Upstream's NodeResourcesFit: the pod's requests must fit in what the node has left (and the node must take one
 * more pod); nodes score by the profile's strategy, LeastAllocated (the default), MostAllocated or
 * RequestedToCapacityRatio.
 *
 * <p>Args (NodeResourcesFitArgs): {@code ignoredResources} (extended resources not checked),
 * {@code ignoredResourceGroups} (extended resource prefixes before the "/" not checked), {@code scoringStrategy}
 * ({@code type}, {@code resources} of {name, weight}, {@code requestedToCapacityRatio.shape} of
 * {utilization, score}).
 */
public final class Fit implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {

    public static final String NAME = "NodeResourcesFit";

    public static final String REASON_TOO_MANY_PODS = "Too many pods";

    static final CycleState.Key<PreFilterState> PRE_FILTER_KEY = new CycleState.Key<>("PreFilter" + NAME);
    /** One resource the pod asks for more of than the node has left. */
    public record InsufficientResource(String resourceName, String reason, long requested, long used, long capacity) {
    }

    /** The pod's requests, computed once per cycle. */
    record PreFilterState(Resources requests) implements CycleState.Data {
        @Override
        public CycleState.Data copy() {
            return this;
        }
    }


    private final Set<String> ignoredResources;
    private final Set<String> ignoredResourceGroups;
    private final ResourceAllocationScorer scorer;

    public Fit(PluginArgs args, Handle handle) {
        this.ignoredResources = Set.copyOf(args.list("ignoredResources", String.class));
        List<String> groups = args.list("ignoredResourceGroups", String.class);
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i).contains("/")) {
                throw new IllegalArgumentException("ignoredResourceGroups[" + i + "]: Invalid value: \"" + groups.get(i)
                        + "\": resource group name can't contain '/'");
            }
        }
        this.ignoredResourceGroups = Set.copyOf(groups);
        this.scorer = scorer(args.values().get("scoringStrategy"));
    }

    private static ResourceAllocationScorer scorer(Object strategy) {
        if (strategy == null) {
            return new ResourceAllocationScorer(Scorers.LEAST_ALLOCATED, ResourceSpec.DEFAULTS, false,
                    Scorers.leastAllocated(ResourceSpec.DEFAULTS));
        }
        if (!(strategy instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("scoringStrategy: not an object");
        }
        Object typeValue = map.get("type");
        String type = typeValue == null || typeValue.toString().isEmpty() ? Scorers.LEAST_ALLOCATED : typeValue.toString();
        List<ResourceSpec> resources = ResourceSpec.parse(map.get("resources"), "scoringStrategy.resources");
        return switch (type) {
            case Scorers.LEAST_ALLOCATED -> new ResourceAllocationScorer(type, resources, false, Scorers.leastAllocated(resources));
            case Scorers.MOST_ALLOCATED -> new ResourceAllocationScorer(type, resources, false, Scorers.mostAllocated(resources));
            case Scorers.REQUESTED_TO_CAPACITY_RATIO -> new ResourceAllocationScorer(type, resources, false,
                    Scorers.requestedToCapacityRatio(resources,
                            Scorers.parseShape(map.get("requestedToCapacityRatio"), "scoringStrategy.requestedToCapacityRatio")));
            default -> throw new IllegalArgumentException("scoringStrategy.type: Unsupported value: \"" + type
                    + "\": supported values: \"LeastAllocated\", \"MostAllocated\", \"RequestedToCapacityRatio\"");
        };
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The scoring strategy's type. */
    public String strategy() {
        return scorer.name;
    }

    @Override
    public Result preFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
        state.write(PRE_FILTER_KEY, new PreFilterState(pod.requests()));
        return Result.success();
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo nodeInfo) {
        PreFilterState s = state.read(PRE_FILTER_KEY);
        Resources requests = s != null ? s.requests() : pod.requests();
        List<InsufficientResource> insufficient = insufficientResources(requests, nodeInfo, ignoredResources, ignoredResourceGroups);
        if (insufficient.isEmpty()) {
            return Status.success();
        }
        String[] reasons = new String[insufficient.size()];
        for (int i = 0; i < reasons.length; i++) {
            reasons[i] = insufficient.get(i).reason();
        }
        return Status.unschedulable(reasons);
    }

    /** What of the pod does not fit on the node, with no resources ignored (upstream's noderesources.Fits). */
    public static List<InsufficientResource> fits(PodInfo pod, NodeInfo nodeInfo) {
        return insufficientResources(pod.requests(), nodeInfo, Set.of(), Set.of());
    }

    /**
     * Every resource the request does not fit in on the node (upstream's fitsRequest): one more pod than
     * allocatable pods, then cpu, memory, ephemeral-storage, then scalar resources by name; extended resources in
     * ignoredResources, or whose prefix is in ignoredResourceGroups, are not checked.
     */
    public static List<InsufficientResource> insufficientResources(Resources request, NodeInfo nodeInfo,
            Set<String> ignoredResources, Set<String> ignoredResourceGroups) {
        List<InsufficientResource> insufficient = null; // most nodes fit: allocate only for a rejection
        Resources allocatable = nodeInfo.allocatable();
        Resources requested = nodeInfo.requested();
        int podCount = nodeInfo.pods().size();
        if (podCount + 1 > allocatable.pods) {
            insufficient = add(insufficient, new InsufficientResource(Resources.PODS, REASON_TOO_MANY_PODS, 1, podCount, allocatable.pods));
        }
        if (request.milliCpu == 0 && request.memory == 0 && request.ephemeralStorage == 0 && request.scalars().isEmpty()) {
            return insufficient == null ? List.of() : insufficient;
        }
        if (request.milliCpu > 0 && request.milliCpu > allocatable.milliCpu - requested.milliCpu) {
            insufficient = add(insufficient, new InsufficientResource(Resources.CPU, "Insufficient cpu", request.milliCpu,
                    requested.milliCpu, allocatable.milliCpu));
        }
        if (request.memory > 0 && request.memory > allocatable.memory - requested.memory) {
            insufficient = add(insufficient, new InsufficientResource(Resources.MEMORY, "Insufficient memory", request.memory,
                    requested.memory, allocatable.memory));
        }
        if (request.ephemeralStorage > 0 && request.ephemeralStorage > allocatable.ephemeralStorage - requested.ephemeralStorage) {
            insufficient = add(insufficient, new InsufficientResource(Resources.EPHEMERAL_STORAGE, "Insufficient ephemeral-storage",
                    request.ephemeralStorage, requested.ephemeralStorage, allocatable.ephemeralStorage));
        }
        Map<String, Long> scalars = request.scalars().size() > 1 ? new TreeMap<>(request.scalars()) : request.scalars();
        for (Map.Entry<String, Long> entry : scalars.entrySet()) {
            String name = entry.getKey();
            long quantity = entry.getValue();
            if (quantity == 0) {
                continue;
            }
            if (isExtendedResourceName(name)) {
                String group = name.substring(0, name.indexOf('/'));
                if (ignoredResources.contains(name) || ignoredResourceGroups.contains(group)) {
                    continue;
                }
            }
            if (quantity > allocatable.scalar(name) - requested.scalar(name)) {
                insufficient = add(insufficient, new InsufficientResource(name, "Insufficient " + name, quantity, requested.scalar(name),
                        allocatable.scalar(name)));
            }
        }
        return insufficient == null ? List.of() : insufficient;
    }

    private static List<InsufficientResource> add(List<InsufficientResource> list, InsufficientResource resource) {
        List<InsufficientResource> result = list == null ? new ArrayList<>(4) : list;
        result.add(resource);
        return result;
    }

    /**
     * Upstream's IsExtendedResourceName: a name with a domain prefix that is not kubernetes.io's, and not a quota
     * "requests." name.
     */
    public static boolean isExtendedResourceName(String name) {
        return name.contains("/") && !name.contains("kubernetes.io/") && !name.startsWith("requests.");
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes) {
        scorer.preScore(state, pod);
        return Status.success();
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo nodeInfo) {
        return scorer.score(state, pod, nodeInfo);
    }

    @Override
    public List<Registration> eventsToRegister() {
        return List.of(
                new Registration(ClusterEvent.of(ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.Action.DELETE,
                        ClusterEvent.Action.UPDATE_POD_SCALE_DOWN), Fit::isSchedulableAfterPodEvent),
                new Registration(ClusterEvent.of(ClusterEvent.Resource.NODE, ClusterEvent.Action.ADD,
                        ClusterEvent.Action.UPDATE_NODE_ALLOCATABLE), Fit::isSchedulableAfterNodeChange));
    }

    /** Queue when a bound pod was deleted, or shrank a request of a resource this pod asks for. */
    static QueueingHint isSchedulableAfterPodEvent(PodInfo pod, Object oldObject, Object newObject) {
        Pod original = EventObjects.pod(oldObject);
        Pod modified = EventObjects.pod(newObject);
        if (modified == null) {
            if (original == null) {
                return QueueingHint.QUEUE;
            }
            String nodeName = original.getSpec().getNodeName();
            return nodeName == null || nodeName.isEmpty() ? QueueingHint.SKIP : QueueingHint.QUEUE;
        }
        if (original == null) {
            return QueueingHint.QUEUE;
        }
        String nodeName = modified.getSpec().getNodeName();
        if (nodeName == null || nodeName.isEmpty()) {
            return QueueingHint.SKIP;
        }
        Resources before = Resources.podRequests(original, false);
        Resources after = Resources.podRequests(modified, false);
        Resources wanted = pod.requests();
        if (wanted.milliCpu > 0 && before.milliCpu > after.milliCpu
                || wanted.memory > 0 && before.memory > after.memory
                || wanted.ephemeralStorage > 0 && before.ephemeralStorage > after.ephemeralStorage) {
            return QueueingHint.QUEUE;
        }
        for (Map.Entry<String, Long> entry : wanted.scalars().entrySet()) {
            if (entry.getValue() > 0 && before.scalar(entry.getKey()) > after.scalar(entry.getKey())) {
                return QueueingHint.QUEUE;
            }
        }
        return QueueingHint.SKIP;
    }

    /** Queue when the pod would fit on the (empty) new or changed node, and for a change, some resource it asks for grew. */
    static QueueingHint isSchedulableAfterNodeChange(PodInfo pod, Object oldObject, Object newObject) {
        Node modified = EventObjects.node(newObject);
        if (modified == null) {
            return QueueingHint.QUEUE;
        }
        if (!fits(pod, new NodeInfo(modified)).isEmpty()) {
            return QueueingHint.SKIP;
        }
        Node original = EventObjects.node(oldObject);
        if (original == null) {
            return QueueingHint.QUEUE;
        }
        return anyRequestedResourceIncreased(pod.requests(), new NodeInfo(original).allocatable(),
                new NodeInfo(modified).allocatable()) ? QueueingHint.QUEUE : QueueingHint.SKIP;
    }

    static boolean anyRequestedResourceIncreased(Resources request, Resources before, Resources after) {
        if (after.pods > before.pods) {
            return true;
        }
        if (request.milliCpu > 0 && after.milliCpu > before.milliCpu
                || request.memory > 0 && after.memory > before.memory
                || request.ephemeralStorage > 0 && after.ephemeralStorage > before.ephemeralStorage) {
            return true;
        }
        for (Map.Entry<String, Long> entry : request.scalars().entrySet()) {
            if (entry.getValue() > 0 && after.scalar(entry.getKey()) > before.scalar(entry.getKey())) {
                return true;
            }
        }
        return false;
    }
}

package io.k4j.scheduler.plugins.podtopologyspread;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
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
import io.k4j.scheduler.framework.ScorePlugin;
import io.k4j.scheduler.framework.Snapshot;
import io.k4j.scheduler.framework.Status;
import io.k4j.scheduler.plugins.LabelSelectors;
import io.k4j.scheduler.plugins.LabelSelectors.Selector;
import io.k4j.scheduler.plugins.podtopologyspread.NodeInclusion.RequiredNodeAffinity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Upstream's PodTopologySpread (v1.32): spreads pods matching a constraint's selector evenly over the domains of its
 * topology key. Hard constraints (whenUnsatisfiable: DoNotSchedule) filter nodes whose domain would exceed maxSkew;
 * soft ones (ScheduleAnyway) score nodes by how many matching pods their domains already hold. Pods without
 * constraints of their own get the plugin's default constraints (args {@code defaultConstraints}, or with
 * {@code defaultingType: System} upstream's cluster defaults).
 *
 * <p>Counting follows upstream: only nodes that carry every constraint's topology key count, only pods in the incoming
 * pod's namespace that are not terminating, and only nodes the constraint's node inclusion policies admit
 * (nodeAffinityPolicy Honor by default: the pod's nodeSelector/required node affinity; nodeTaintsPolicy Ignore by
 * default). matchLabelKeys adds key=value (from the incoming pod's labels) to the selector. Counts are kept per
 * constraint (not per topology key, which upstream fixed after v1.32 for two constraints on the same key).
 */
public final class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin,
        EnqueueExtensions, PreFilterPlugin.Extensions {

    public static final String NAME = "PodTopologySpread";

    public static final String ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
    public static final String ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH
            + " (missing required label)";

    public static final String LABEL_HOSTNAME = NodeInfo.HOSTNAME_LABEL;
    public static final String LABEL_TOPOLOGY_ZONE = "topology.kubernetes.io/zone";

    public static final String DEFAULTING_SYSTEM = "System";
    public static final String DEFAULTING_LIST = "List";

    static final String DO_NOT_SCHEDULE = "DoNotSchedule";
    static final String SCHEDULE_ANYWAY = "ScheduleAnyway";
    static final String HONOR = "Honor";
    static final String IGNORE = "Ignore";

    /** Upstream's systemDefaultConstraints. */
    public static final List<TopologySpreadConstraint> SYSTEM_DEFAULT_CONSTRAINTS = List.of(
            new TopologySpreadConstraintBuilder().withTopologyKey(LABEL_HOSTNAME)
                    .withWhenUnsatisfiable(SCHEDULE_ANYWAY).withMaxSkew(3).build(),
            new TopologySpreadConstraintBuilder().withTopologyKey(LABEL_TOPOLOGY_ZONE)
                    .withWhenUnsatisfiable(SCHEDULE_ANYWAY).withMaxSkew(5).build());

    /** Owner kinds whose pods get the default constraints (see {@link #defaultSelector}). */
    private static final Set<String> DEFAULTED_OWNER_KINDS = Set.of("ReplicaSet", "StatefulSet",
            "ReplicationController");

    static final CycleState.Key<PreFilterState> PRE_FILTER_KEY = new CycleState.Key<>("PreFilter" + NAME);
    static final CycleState.Key<PreScoreState> PRE_SCORE_KEY = new CycleState.Key<>("PreScore" + NAME);

    /** A constraint compiled for one pod. */
    record Constraint(int maxSkew, String topologyKey, Selector selector, int minDomains, boolean honorNodeAffinity,
                      boolean honorNodeTaints) {

        /** upstream matchNodeInclusionPolicies */
        boolean includesNode(Pod pod, Node node, RequiredNodeAffinity affinity) {
            if (honorNodeAffinity && !affinity.matches(node)) {
                return false;
            }
            return !honorNodeTaints || !NodeInclusion.hasUntoleratedTaint(node, pod);
        }
    }

    /** The pod's hard and soft constraints (or the error compiling them), once per pod and plugin instance. */
    record Constraints(List<Constraint> hard, List<Constraint> soft, String error) {
    }

    private final Handle handle;
    private final List<TopologySpreadConstraint> defaultConstraints;
    private final boolean systemDefaulted;
    private final PodInfo.Derived<Constraints> constraintsKey = new PodInfo.Derived<>(this::compile);

    public PodTopologySpread(PluginArgs args, Handle handle) {
        this.handle = handle;
        String defaultingType = args.string("defaultingType", DEFAULTING_SYSTEM);
        List<TopologySpreadConstraint> configured = args.list("defaultConstraints", TopologySpreadConstraint.class);
        validate(defaultingType, configured);
        if (DEFAULTING_SYSTEM.equals(defaultingType)) {
            this.defaultConstraints = SYSTEM_DEFAULT_CONSTRAINTS;
            this.systemDefaulted = true;
        } else {
            this.defaultConstraints = List.copyOf(configured);
            this.systemDefaulted = false;
        }
    }

    /** upstream ValidatePodTopologySpreadArgs */
    private static void validate(String defaultingType, List<TopologySpreadConstraint> constraints) {
        if (!DEFAULTING_SYSTEM.equals(defaultingType) && !DEFAULTING_LIST.equals(defaultingType)) {
            throw new IllegalArgumentException("defaultingType: Unsupported value: \"" + defaultingType
                    + "\": supported values: \"List\", \"System\"");
        }
        if (DEFAULTING_SYSTEM.equals(defaultingType) && !constraints.isEmpty()) {
            throw new IllegalArgumentException("defaultConstraints: Invalid value: when .defaultingType is \"System\"");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < constraints.size(); i++) {
            TopologySpreadConstraint c = constraints.get(i);
            String path = "defaultConstraints[" + i + "]";
            if (c.getMaxSkew() == null || c.getMaxSkew() <= 0) {
                throw new IllegalArgumentException(path + ".maxSkew: Invalid value: " + c.getMaxSkew()
                        + ": must be greater than zero");
            }
            if (c.getTopologyKey() == null || c.getTopologyKey().isEmpty()) {
                throw new IllegalArgumentException(path + ".topologyKey: Required value: can not be empty");
            }
            if (!DO_NOT_SCHEDULE.equals(c.getWhenUnsatisfiable()) && !SCHEDULE_ANYWAY.equals(c.getWhenUnsatisfiable())) {
                throw new IllegalArgumentException(path + ".whenUnsatisfiable: Unsupported value: \""
                        + c.getWhenUnsatisfiable() + "\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\"");
            }
            if (!seen.add(c.getTopologyKey() + "\u0000" + c.getWhenUnsatisfiable())) {
                throw new IllegalArgumentException(path + ": Duplicate value: {" + c.getTopologyKey() + ", "
                        + c.getWhenUnsatisfiable() + "}");
            }
            if (c.getLabelSelector() != null) {
                throw new IllegalArgumentException(path + ".labelSelector: Forbidden: constraint must not define a"
                        + " selector, as they deduced for each pod");
            }
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    // ---------------------------------------------------------------- constraints

    private Constraints compile(Pod pod) {
        try {
            return new Constraints(constraints(pod, DO_NOT_SCHEDULE), constraints(pod, SCHEDULE_ANYWAY), null);
        } catch (IllegalArgumentException e) {
            return new Constraints(List.of(), List.of(), e.getMessage());
        }
    }

    private List<Constraint> constraints(Pod pod, String action) {
        Map<String, String> podLabels = labels(pod);
        List<TopologySpreadConstraint> own = pod.getSpec().getTopologySpreadConstraints();
        if (own != null && !own.isEmpty()) {
            return filter(own, podLabels, action);
        }
        List<Constraint> defaults = filter(defaultConstraints, podLabels, action);
        if (defaults.isEmpty()) {
            return List.of();
        }
        Selector selector = defaultSelector(pod);
        if (selector.isEmpty()) {
            return List.of();
        }
        List<Constraint> result = new ArrayList<>(defaults.size());
        for (Constraint c : defaults) {
            result.add(new Constraint(c.maxSkew(), c.topologyKey(), selector, c.minDomains(), c.honorNodeAffinity(),
                    c.honorNodeTaints()));
        }
        return List.copyOf(result);
    }

    /**
     * The selector default constraints spread a pod by. Upstream (helper.DefaultSelector) merges the selectors of the
     * Services, ReplicationControllers, ReplicaSets and StatefulSets that select the pod. The scheduler's Handle has
     * no listers for those, so this simplification applies: a pod owned (ownerReferences) by a ReplicaSet,
     * StatefulSet or ReplicationController is spread by its own labels (a controller's selector is normally a subset
     * of them, and pods of one controller share them); any other pod, including one only selected by a Service, gets
     * an empty selector and so no default constraints.
     */
    static Selector defaultSelector(Pod pod) {
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        if (owners == null) {
            return LabelSelectors.EVERYTHING;
        }
        for (OwnerReference owner : owners) {
            if (DEFAULTED_OWNER_KINDS.contains(owner.getKind())) {
                return LabelSelectors.fromLabels(labels(pod));
            }
        }
        return LabelSelectors.EVERYTHING;
    }

    /** upstream filterTopologySpreadConstraints */
    private static List<Constraint> filter(List<TopologySpreadConstraint> constraints, Map<String, String> podLabels,
                                           String action) {
        List<Constraint> result = new ArrayList<>();
        for (TopologySpreadConstraint c : constraints) {
            if (!action.equals(c.getWhenUnsatisfiable())) {
                continue;
            }
            Selector selector = LabelSelectors.parse(c.getLabelSelector());
            if (c.getMatchLabelKeys() != null && !c.getMatchLabelKeys().isEmpty()) {
                Map<String, String> match = new LinkedHashMap<>();
                for (String key : c.getMatchLabelKeys()) {
                    String value = podLabels.get(key);
                    if (value != null) {
                        match.put(key, value);
                    }
                }
                if (!match.isEmpty()) {
                    selector = selector.and(match);
                }
            }
            int minDomains = c.getMinDomains() == null ? 1 : c.getMinDomains();
            boolean honorAffinity = c.getNodeAffinityPolicy() == null || HONOR.equals(c.getNodeAffinityPolicy());
            boolean honorTaints = HONOR.equals(c.getNodeTaintsPolicy());
            result.add(new Constraint(c.getMaxSkew() == null ? 1 : c.getMaxSkew(), c.getTopologyKey(), selector,
                    minDomains, honorAffinity, honorTaints));
        }
        return List.copyOf(result);
    }

    Constraints constraintsOf(PodInfo pod) {
        return pod.derived(constraintsKey);
    }

    static Map<String, String> labels(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    static Map<String, String> labels(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    static boolean hasAllTopologyKeys(Map<String, String> nodeLabels, List<Constraint> constraints) {
        for (Constraint c : constraints) {
            if (!nodeLabels.containsKey(c.topologyKey())) {
                return false;
            }
        }
        return true;
    }

    /** Whether an existing pod counts for a constraint (upstream countPodsMatchSelector, per pod). */
    private static boolean counts(Pod existing, Selector selector, String namespace) {
        return !selector.isEmpty() && existing.getMetadata().getDeletionTimestamp() == null
                && namespace.equals(existing.getMetadata().getNamespace()) && selector.matches(labels(existing));
    }

    static int countPodsMatchSelector(List<PodInfo> pods, Selector selector, String namespace) {
        if (selector.isEmpty()) {
            return 0;
        }
        int count = 0;
        for (int i = 0, n = pods.size(); i < n; i++) {
            if (counts(pods.get(i).pod(), selector, namespace)) {
                count++;
            }
        }
        return count;
    }

    // ---------------------------------------------------------------- PreFilter / Filter

    /**
     * The global minimum of one constraint, kept up to date under add/removePod without rescanning all domains:
     * slot 0 is the smallest count, slot 1 a runner-up (at least slot 0, not always the true second). That suffices
     * because each preemption what-if works on its own state copy and touches pods of a single node.
     */
    static final class CriticalPaths {
        String value0;
        int num0 = Integer.MAX_VALUE;
        String value1;
        int num1 = Integer.MAX_VALUE;

        CriticalPaths copy() {
            CriticalPaths c = new CriticalPaths();
            c.value0 = value0;
            c.num0 = num0;
            c.value1 = value1;
            c.num1 = num1;
            return c;
        }

        void update(String value, int num) {
            if (value.equals(value0)) {
                num0 = num;
            } else if (value.equals(value1)) {
                num1 = num;
            } else {
                if (num < num0) {
                    value1 = value0;
                    num1 = num0;
                    value0 = value;
                    num0 = num;
                } else if (num < num1) {
                    value1 = value;
                    num1 = num;
                }
                return;
            }
            if (num0 > num1) {
                String v = value0;
                int n = num0;
                value0 = value1;
                num0 = num1;
                value1 = v;
                num1 = n;
            }
        }
    }

    /** Matching pods per domain of each hard constraint; copied for preemption's what-ifs. */
    static final class PreFilterState implements CycleState.Data {
        final List<Constraint> constraints;
        /** Per constraint: 1 when the incoming pod matches its own selector. */
        final int[] selfMatch;
        /** Per constraint: topology value -> matching pods. */
        final List<HashMap<String, Integer>> matchNum;
        final CriticalPaths[] paths;

        PreFilterState(List<Constraint> constraints, int[] selfMatch, List<HashMap<String, Integer>> matchNum,
                       CriticalPaths[] paths) {
            this.constraints = constraints;
            this.selfMatch = selfMatch;
            this.matchNum = matchNum;
            this.paths = paths;
        }

        /** The global minimum for skew, 0 while there are fewer eligible domains than minDomains. */
        int minMatchNum(int i) {
            return matchNum.get(i).size() < constraints.get(i).minDomains() ? 0 : paths[i].num0;
        }

        @Override
        public PreFilterState copy() {
            List<HashMap<String, Integer>> maps = new ArrayList<>(matchNum.size());
            for (HashMap<String, Integer> m : matchNum) {
                maps.add(new HashMap<>(m));
            }
            CriticalPaths[] p = new CriticalPaths[paths.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = paths[i].copy();
            }
            return new PreFilterState(constraints, selfMatch, maps, p);
        }
    }

    @Override
    public Result preFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
        Constraints all = constraintsOf(pod);
        if (all.error() != null) {
            return Result.of(Status.error("get constraints from pod: " + all.error()));
        }
        List<Constraint> constraints = all.hard();
        if (constraints.isEmpty()) {
            return Result.of(Status.skip());
        }
        int n = constraints.size();
        List<HashMap<String, Integer>> matchNum = new ArrayList<>(n);
        for (Constraint c : constraints) {
            matchNum.add(new HashMap<>(LABEL_HOSTNAME.equals(c.topologyKey()) ? snapshot.size() * 2 : 16));
        }
        Pod p = pod.pod();
        String namespace = pod.namespace();
        RequiredNodeAffinity affinity = pod.derived(NodeInclusion.REQUIRED_NODE_AFFINITY);
        List<NodeInfo> nodes = snapshot.nodes();
        for (int ni = 0, size = nodes.size(); ni < size; ni++) {
            NodeInfo info = nodes.get(ni);
            Node node = info.node();
            Map<String, String> nodeLabels = info.labels();
            if (!hasAllTopologyKeys(nodeLabels, constraints)) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                Constraint c = constraints.get(i);
                if (!c.includesNode(p, node, affinity)) {
                    continue;
                }
                int count = countPodsMatchSelector(info.pods(), c.selector(), namespace);
                matchNum.get(i).merge(nodeLabels.get(c.topologyKey()), count, Integer::sum);
            }
        }
        CriticalPaths[] paths = new CriticalPaths[n];
        int[] selfMatch = new int[n];
        Map<String, String> podLabels = labels(p);
        for (int i = 0; i < n; i++) {
            paths[i] = new CriticalPaths();
            for (Map.Entry<String, Integer> e : matchNum.get(i).entrySet()) {
                paths[i].update(e.getKey(), e.getValue());
            }
            selfMatch[i] = constraints.get(i).selector().matches(podLabels) ? 1 : 0;
        }
        state.write(PRE_FILTER_KEY, new PreFilterState(constraints, selfMatch, matchNum, paths));
        return Result.success();
    }

    @Override
    public Extensions extensions() {
        return this;
    }

    @Override
    public Status addPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node) {
        update(state.read(PRE_FILTER_KEY), podToAdd, podToSchedule, node, 1);
        return Status.success();
    }

    @Override
    public Status removePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node) {
        update(state.read(PRE_FILTER_KEY), podToRemove, podToSchedule, node, -1);
        return Status.success();
    }

    /** upstream updateWithPod; counts the pod by the same rule PreFilter did, so add and remove stay symmetric. */
    private static void update(PreFilterState s, PodInfo updated, PodInfo preemptor, NodeInfo info, int delta) {
        if (s == null || info == null || info.node() == null
                || !Objects.equals(updated.namespace(), preemptor.namespace())) {
            return;
        }
        Node node = info.node();
        Map<String, String> nodeLabels = info.labels();
        if (!hasAllTopologyKeys(nodeLabels, s.constraints)) {
            return;
        }
        RequiredNodeAffinity affinity = preemptor.derived(NodeInclusion.REQUIRED_NODE_AFFINITY);
        for (int i = 0; i < s.constraints.size(); i++) {
            Constraint c = s.constraints.get(i);
            if (!counts(updated.pod(), c.selector(), preemptor.namespace())
                    || !c.includesNode(preemptor.pod(), node, affinity)) {
                continue;
            }
            String value = nodeLabels.get(c.topologyKey());
            int num = s.matchNum.get(i).merge(value, delta, Integer::sum);
            s.paths[i].update(value, num);
        }
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        PreFilterState s = state.read(PRE_FILTER_KEY);
        if (s == null || s.constraints.isEmpty()) {
            return Status.success();
        }
        for (int i = 0, n = s.constraints.size(); i < n; i++) {
            Constraint c = s.constraints.get(i);
            String value = node.label(c.topologyKey());
            if (value == null) {
                return Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
            }
            Integer matched = s.matchNum.get(i).get(value);
            long skew = (long) (matched == null ? 0 : matched) + s.selfMatch[i] - s.minMatchNum(i);
            if (skew > c.maxSkew()) {
                return Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
            }
        }
        return Status.success();
    }

    // ---------------------------------------------------------------- PreScore / Score

    /** Soft constraints and the counts Score reads; never changed after PreScore, so copy() shares it. */
    static final class PreScoreState implements CycleState.Data {
        final List<Constraint> constraints;
        /** Feasible nodes missing some topology key; they score 0. */
        final Set<String> ignoredNodes;
        /** Per constraint: topology value -> matching pods (empty for hostname, counted in Score). */
        final List<HashMap<String, Integer>> podCounts;
        final double[] normalizingWeight;
        /** Per constraint: its key is kubernetes.io/hostname (counted per node in Score). */
        final boolean[] hostname;

        PreScoreState(List<Constraint> constraints, Set<String> ignoredNodes,
                      List<HashMap<String, Integer>> podCounts, double[] normalizingWeight) {
            this.constraints = constraints;
            this.ignoredNodes = ignoredNodes;
            this.podCounts = podCounts;
            this.normalizingWeight = normalizingWeight;
            this.hostname = new boolean[constraints.size()];
            for (int i = 0; i < hostname.length; i++) {
                hostname[i] = LABEL_HOSTNAME.equals(constraints.get(i).topologyKey());
            }
        }

        @Override
        public PreScoreState copy() {
            return this;
        }
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes) {
        List<NodeInfo> allNodes = handle.snapshot().nodes();
        if (feasibleNodes.isEmpty() || allNodes.isEmpty()) {
            return Status.skip();
        }
        Constraints all = constraintsOf(pod);
        if (all.error() != null) {
            return Status.error("calculating preScoreState: " + all.error());
        }
        List<Constraint> constraints = all.soft();
        if (constraints.isEmpty()) {
            return Status.skip();
        }
        // System defaults spread by hostname and zone; a cluster without zone labels should still get the
        // hostname half, so only user-given constraints make a missing label disqualify a node.
        List<TopologySpreadConstraint> own = pod.pod().getSpec().getTopologySpreadConstraints();
        boolean requireAllTopologies = (own != null && !own.isEmpty()) || !systemDefaulted;
        int n = constraints.size();
        List<HashMap<String, Integer>> podCounts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            podCounts.add(new HashMap<>());
        }
        Set<String> ignored = new HashSet<>();
        int[] topoSize = new int[n];
        boolean[] hostname = new boolean[n];
        for (int i = 0; i < n; i++) {
            hostname[i] = LABEL_HOSTNAME.equals(constraints.get(i).topologyKey());
        }
        for (int fi = 0, size = feasibleNodes.size(); fi < size; fi++) {
            NodeInfo info = feasibleNodes.get(fi);
            Map<String, String> nodeLabels = info.labels();
            if (requireAllTopologies && !hasAllTopologyKeys(nodeLabels, constraints)) {
                ignored.add(info.name());
                continue;
            }
            for (int i = 0; i < n; i++) {
                if (hostname[i]) {
                    continue; // per-node counts are computed in Score
                }
                Constraint c = constraints.get(i);
                if (podCounts.get(i).putIfAbsent(nodeLabels.getOrDefault(c.topologyKey(), ""), 0) == null) {
                    topoSize[i]++;
                }
            }
        }
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            int size = LABEL_HOSTNAME.equals(constraints.get(i).topologyKey())
                    ? feasibleNodes.size() - ignored.size() : topoSize[i];
            weights[i] = Math.log(size + 2);
        }
        boolean anyDomainCounts = false;
        for (int i = 0; i < n; i++) {
            anyDomainCounts |= !podCounts.get(i).isEmpty();
        }
        if (anyDomainCounts) {
            Pod p = pod.pod();
            String namespace = pod.namespace();
            RequiredNodeAffinity affinity = pod.derived(NodeInclusion.REQUIRED_NODE_AFFINITY);
            for (int ni = 0, size = allNodes.size(); ni < size; ni++) {
                NodeInfo info = allNodes.get(ni);
                if (info.pods().isEmpty()) {
                    continue; // nothing to count
                }
                Node node = info.node();
                Map<String, String> nodeLabels = info.labels();
                if (requireAllTopologies && !hasAllTopologyKeys(nodeLabels, constraints)) {
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    Constraint c = constraints.get(i);
                    HashMap<String, Integer> counts = podCounts.get(i);
                    if (counts.isEmpty()) {
                        continue;
                    }
                    String value = nodeLabels.getOrDefault(c.topologyKey(), "");
                    if (!counts.containsKey(value) || !c.includesNode(p, node, affinity)) {
                        continue;
                    }
                    int count = countPodsMatchSelector(info.pods(), c.selector(), namespace);
                    if (count > 0) {
                        counts.merge(value, count, Integer::sum);
                    }
                }
            }
        }
        state.write(PRE_SCORE_KEY, new PreScoreState(constraints, ignored, podCounts, weights));
        return Status.success();
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        PreScoreState s = state.read(PRE_SCORE_KEY);
        if (s == null || !s.ignoredNodes.isEmpty() && s.ignoredNodes.contains(node.name())) {
            return 0;
        }
        Map<String, String> nodeLabels = node.labels();
        double score = 0;
        for (int i = 0, n = s.constraints.size(); i < n; i++) {
            Constraint c = s.constraints.get(i);
            String value = nodeLabels.get(c.topologyKey());
            if (value == null) {
                continue;
            }
            long count;
            if (s.hostname[i]) {
                count = countPodsMatchSelector(node.pods(), c.selector(), pod.namespace());
            } else {
                Integer counted = s.podCounts.get(i).get(value);
                count = counted == null ? 0 : counted;
            }
            score += scoreForCount(count, c.maxSkew(), s.normalizingWeight[i]);
        }
        return Math.round(score);
    }

    /** Matching pods weighted by the domain count, plus maxSkew - 1 so that a larger maxSkew flattens the scores. */
    static double scoreForCount(long count, int maxSkew, double weight) {
        return count * weight + (maxSkew - 1);
    }

    @Override
    public void normalizeScores(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        PreScoreState s = state.read(PRE_SCORE_KEY);
        if (s == null) {
            return;
        }
        long min = Long.MAX_VALUE;
        long max = 0;
        boolean[] ignored = new boolean[scores.length];
        boolean anyIgnored = !s.ignoredNodes.isEmpty();
        for (int i = 0; i < scores.length; i++) {
            if (anyIgnored && s.ignoredNodes.contains(nodes.get(i).name())) {
                ignored[i] = true;
                continue;
            }
            min = Math.min(min, scores[i]);
            max = Math.max(max, scores[i]);
        }
        for (int i = 0; i < scores.length; i++) {
            if (ignored[i]) {
                scores[i] = 0;
            } else if (max == 0) {
                scores[i] = MAX_NODE_SCORE;
            } else {
                scores[i] = MAX_NODE_SCORE * (max + min - scores[i]) / max;
            }
        }
    }

    // ---------------------------------------------------------------- events

    @Override
    public List<Registration> eventsToRegister() {
        return List.of(
                new Registration(ClusterEvent.of(ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.Action.ADD,
                        ClusterEvent.Action.DELETE, ClusterEvent.Action.UPDATE_POD_LABEL), this::afterPodChange),
                new Registration(ClusterEvent.of(ClusterEvent.Resource.NODE, ClusterEvent.Action.ADD,
                        ClusterEvent.Action.DELETE, ClusterEvent.Action.UPDATE_NODE_LABEL,
                        ClusterEvent.Action.UPDATE_NODE_TAINT), this::afterNodeChange));
    }

    /** upstream isSchedulableAfterPodChange */
    QueueingHint afterPodChange(PodInfo pod, Object oldObject, Object newObject) {
        Pod original = oldObject instanceof Pod o ? o : null;
        Pod modified = newObject instanceof Pod m ? m : null;
        if (original == null && modified == null) {
            return QueueingHint.QUEUE;
        }
        if (modified != null && !involved(modified, pod) || original != null && !involved(original, pod)) {
            return QueueingHint.SKIP;
        }
        List<Constraint> constraints = constraintsOf(pod).hard();
        if (original != null && modified != null) {
            if (labels(original).equals(labels(modified))) {
                return QueueingHint.SKIP;
            }
            for (Constraint c : constraints) {
                if (c.selector().matches(labels(original)) != c.selector().matches(labels(modified))) {
                    return QueueingHint.QUEUE;
                }
            }
            return QueueingHint.SKIP;
        }
        Map<String, String> changed = labels(modified != null ? modified : original);
        for (Constraint c : constraints) {
            if (c.selector().matches(changed)) {
                return QueueingHint.QUEUE;
            }
        }
        return QueueingHint.SKIP;
    }

    private static boolean involved(Pod changed, PodInfo pod) {
        String uid = changed.getMetadata().getUid();
        if (uid != null && uid.equals(pod.uid())) {
            return true;
        }
        String nodeName = changed.getSpec() == null ? null : changed.getSpec().getNodeName();
        return nodeName != null && !nodeName.isEmpty()
                && Objects.equals(changed.getMetadata().getNamespace(), pod.namespace());
    }

    /** upstream isSchedulableAfterNodeChange */
    QueueingHint afterNodeChange(PodInfo pod, Object oldObject, Object newObject) {
        Node original = oldObject instanceof Node o ? o : null;
        Node modified = newObject instanceof Node m ? m : null;
        List<Constraint> constraints = constraintsOf(pod).hard();
        if (modified != null) {
            if (!hasAllTopologyKeys(labels(modified), constraints)) {
                return QueueingHint.SKIP;
            }
            if (original == null || !hasAllTopologyKeys(labels(original), constraints)) {
                return QueueingHint.QUEUE;
            }
            for (Constraint c : constraints) {
                if (!Objects.equals(labels(original).get(c.topologyKey()), labels(modified).get(c.topologyKey()))) {
                    return QueueingHint.QUEUE;
                }
                if (c.honorNodeTaints() && !Objects.equals(taints(original), taints(modified))) {
                    return QueueingHint.QUEUE;
                }
            }
            return QueueingHint.SKIP;
        }
        if (original == null) {
            return QueueingHint.QUEUE;
        }
        return hasAllTopologyKeys(labels(original), constraints) ? QueueingHint.QUEUE : QueueingHint.SKIP;
    }

    private static Object taints(Node node) {
        return node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
    }
}

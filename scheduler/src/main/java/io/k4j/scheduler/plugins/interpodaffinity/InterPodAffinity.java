package io.k4j.scheduler.plugins.interpodaffinity;

import io.fabric8.kubernetes.api.model.Affinity;
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
import io.k4j.scheduler.framework.ScorePlugin;
import io.k4j.scheduler.framework.Snapshot;
import io.k4j.scheduler.framework.Status;
import io.k4j.scheduler.plugins.interpodaffinity.AffinityTerms.Term;
import io.k4j.scheduler.plugins.interpodaffinity.AffinityTerms.WeightedTerm;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Upstream's InterPodAffinity (v1.32). Filter: the incoming pod's required pod affinity (some pod matching all terms
 * in the node's domain of each term), its required anti-affinity (no matching pod in the node's domain), and the
 * required anti-affinity of pods already running (none of them may match the incoming pod in the node's domain). All
 * three are counted per topology pair once in PreFilter; Filter only looks the node's label values up. Score sums
 * the weights of the incoming pod's preferred terms matched by existing pods, of existing pods' preferred terms
 * matched by the incoming pod, and (times hardPodAffinityWeight) of existing pods' required affinity terms matched
 * by the incoming pod, per topology pair; normalized to [0, 100] between the lowest and highest node.
 *
 * <p>Namespaces: a term applies to term.namespaces plus the namespaces its namespaceSelector matches (an empty
 * selector {} matches all); with neither, the pod's own namespace.
 */
public final class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin,
        EnqueueExtensions, PreFilterPlugin.Extensions {

    public static final String NAME = "InterPodAffinity";

    public static final String ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH =
            "node(s) didn't satisfy existing pods anti-affinity rules";
    public static final String ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
    public static final String ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";
    /** Filter's rejections, made once: with required anti-affinity most nodes of a cycle are rejected. */
    private static final Status ANTI_AFFINITY_REJECTED =
            Status.unschedulable(ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH).withPlugin(NAME);
    private static final Status EXISTING_ANTI_AFFINITY_REJECTED =
            Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH).withPlugin(NAME);

    public static final long DEFAULT_HARD_POD_AFFINITY_WEIGHT = 1;

    static final CycleState.Key<PreFilterState> PRE_FILTER_KEY = new CycleState.Key<>("PreFilter" + NAME);
    static final CycleState.Key<PreScoreState> PRE_SCORE_KEY = new CycleState.Key<>("PreScore" + NAME);

    private final Handle handle;
    private final long hardPodAffinityWeight;
    private final boolean ignorePreferredTermsOfExistingPods;

    public InterPodAffinity(PluginArgs args, Handle handle) {
        this.handle = handle;
        this.hardPodAffinityWeight = args.number("hardPodAffinityWeight", DEFAULT_HARD_POD_AFFINITY_WEIGHT);
        if (hardPodAffinityWeight < 0 || hardPodAffinityWeight > 100) {
            throw new IllegalArgumentException("hardPodAffinityWeight: Invalid value: " + hardPodAffinityWeight
                    + ": not in valid range [0-100]");
        }
        this.ignorePreferredTermsOfExistingPods =
                Boolean.parseBoolean(args.string("ignorePreferredTermsOfExistingPods", "false"));
        this.scoringTerms = new PlacedTerms(Snapshot::havePodsWithAffinity, NodeInfo::podsWithAffinity,
                this::scoringTermsOf);
    }

    @Override
    public String name() {
        return NAME;
    }

    // ---------------------------------------------------------------- PreFilter / Filter

    /** Counts per topology pair computed in PreFilter; add/removePod change a copy during preemption. */
    static final class PreFilterState implements CycleState.Data {
        /** Pairs where existing pods' required anti-affinity terms match the incoming pod. */
        final TopologyCounts existingAntiAffinityCounts;
        /** Pairs where existing pods match all of the incoming pod's required affinity terms. */
        final TopologyCounts affinityCounts;
        /** Pairs where existing pods match the incoming pod's required anti-affinity terms. */
        final TopologyCounts antiAffinityCounts;
        /** The incoming pod's required terms, namespace selectors merged into namespaces. */
        final List<Term> requiredAffinity;
        final List<Term> requiredAntiAffinity;
        /** The incoming pod matches all its own required affinity terms. */
        final boolean matchesOwnAffinity;
        final Map<String, String> namespaceLabels;
        /**
         * The distinct topology keys Filter looks up for the anti-affinity checks: those of the incoming pod's
         * required anti-affinity terms (antiKey true) and those existingAntiAffinityCounts counts under.
         */
        String[] antiKeys;
        boolean[] antiKey;

        PreFilterState(TopologyCounts existingAntiAffinityCounts, TopologyCounts affinityCounts,
                       TopologyCounts antiAffinityCounts, List<Term> requiredAffinity,
                       List<Term> requiredAntiAffinity, boolean matchesOwnAffinity,
                       Map<String, String> namespaceLabels) {
            this.existingAntiAffinityCounts = existingAntiAffinityCounts;
            this.affinityCounts = affinityCounts;
            this.antiAffinityCounts = antiAffinityCounts;
            this.requiredAffinity = requiredAffinity;
            this.requiredAntiAffinity = requiredAntiAffinity;
            this.matchesOwnAffinity = matchesOwnAffinity;
            this.namespaceLabels = namespaceLabels;
            computeAntiKeys();
        }

        void computeAntiKeys() {
            java.util.LinkedHashMap<String, Boolean> keys = new java.util.LinkedHashMap<>();
            for (Term t : requiredAntiAffinity) {
                keys.put(t.topologyKey(), true);
            }
            for (String key : existingAntiAffinityCounts.keys()) {
                keys.putIfAbsent(key, false);
            }
            String[] names = new String[keys.size()];
            boolean[] anti = new boolean[keys.size()];
            int i = 0;
            for (Map.Entry<String, Boolean> e : keys.entrySet()) {
                names[i] = e.getKey();
                anti[i++] = e.getValue();
            }
            this.antiKeys = names;
            this.antiKey = anti;
        }

        @Override
        public PreFilterState copy() {
            return new PreFilterState(existingAntiAffinityCounts.copy(), affinityCounts.copy(),
                    antiAffinityCounts.copy(), requiredAffinity, requiredAntiAffinity, matchesOwnAffinity,
                    namespaceLabels);
        }

        /** upstream preFilterState.updateWithPod */
        void updateWithPod(PodInfo updated, Pod incoming, Map<String, String> nodeLabels, long delta) {
            AffinityTerms terms = updated.derived(AffinityTerms.DERIVED);
            boolean existingChanged = false;
            for (Term t : terms.requiredAntiAffinity()) {
                if (t.matches(incoming, namespaceLabels)) {
                    existingAntiAffinityCounts.update(nodeLabels, t.topologyKey(), delta);
                    existingChanged = true;
                }
            }
            if (existingChanged) {
                computeAntiKeys();
            }
            Pod pod = updated.pod();
            if (AffinityTerms.matchesAll(requiredAffinity, pod)) {
                for (Term t : requiredAffinity) {
                    affinityCounts.update(nodeLabels, t.topologyKey(), delta);
                }
            }
            for (Term t : requiredAntiAffinity) {
                if (t.matches(pod, null)) {
                    antiAffinityCounts.update(nodeLabels, t.topologyKey(), delta);
                }
            }
        }
    }

    /** Placed pods' required anti-affinity, kept across cycles (only the scheduling thread runs PreFilter). */
    private final PlacedTerms existingAntiAffinity = new PlacedTerms(Snapshot::havePodsWithRequiredAntiAffinity,
            NodeInfo::podsWithRequiredAntiAffinity,
            terms -> weighted(terms.requiredAntiAffinity(), 1));
    /** Placed pods' terms that score: required affinity (hardPodAffinityWeight), preferred (+w), preferred anti (-w). */
    private final PlacedTerms scoringTerms;
    /** Placed pods grouped by namespace and labels, kept across cycles, for the incoming pod's required terms. */
    private final PlacedPods placedPods = new PlacedPods();

    @Override
    public Result preFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
        AffinityTerms terms = pod.derived(AffinityTerms.DERIVED);
        if (terms.error() != null) {
            return Result.of(Status.unresolvable("parsing pod: " + terms.error()));
        }
        Handle.Listers listers = handle.listers();
        List<Term> requiredAffinity = AffinityTerms.mergeNamespaces(terms.requiredAffinity(), listers);
        List<Term> requiredAnti = AffinityTerms.mergeNamespaces(terms.requiredAntiAffinity(), listers);
        Map<String, String> nsLabels = listers.namespaceLabels(pod.namespace());
        if (nsLabels == null) {
            nsLabels = Map.of();
        }
        Pod incoming = pod.pod();

        // Existing pods' required anti-affinity against the incoming pod: only nodes that have such pods.
        TopologyCounts existingAnti = new TopologyCounts();
        existingAntiAffinity.refresh(snapshot);
        Map<String, String> incomingNamespaceLabels = nsLabels;
        existingAntiAffinity.forEach((weighted, counts) -> {
            if (weighted.term().matches(incoming, incomingNamespaceLabels)) {
                existingAnti.addShared(counts);
            }
        });

        // Existing pods matching the incoming pod's required terms: every pod, but only when there are terms.
        TopologyCounts affinityCounts = new TopologyCounts();
        TopologyCounts antiCounts = new TopologyCounts();
        if (!requiredAffinity.isEmpty() || !requiredAnti.isEmpty()) {
            placedPods.refresh(snapshot);
            placedPods.forEach(group -> {
                PlacedPods.Labels placed = group.labels;
                if (AffinityTerms.matchesAll(requiredAffinity, placed.namespace(), placed.labels())) {
                    for (Term t : requiredAffinity) {
                        affinityCounts.addShared(group.counts(t.topologyKey()));
                    }
                }
                for (Term t : requiredAnti) {
                    if (t.matches(placed.namespace(), placed.labels(), null)) {
                        antiCounts.addShared(group.counts(t.topologyKey()));
                    }
                }
            });
        }

        if (existingAnti.isEmpty() && requiredAffinity.isEmpty() && requiredAnti.isEmpty()) {
            return Result.of(Status.skip());
        }
        state.write(PRE_FILTER_KEY, new PreFilterState(existingAnti, affinityCounts, antiCounts, requiredAffinity,
                requiredAnti, AffinityTerms.matchesAll(requiredAffinity, incoming), nsLabels));
        return Result.success();
    }

    @Override
    public Extensions extensions() {
        return this;
    }

    @Override
    public Status addPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node) {
        PreFilterState s = state.read(PRE_FILTER_KEY);
        if (s != null && node.node() != null) {
            s.updateWithPod(podToAdd, podToSchedule.pod(), node.labels(), 1);
        }
        return Status.success();
    }

    @Override
    public Status removePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node) {
        PreFilterState s = state.read(PRE_FILTER_KEY);
        if (s != null && node.node() != null) {
            s.updateWithPod(podToRemove, podToSchedule.pod(), node.labels(), -1);
        }
        return Status.success();
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        PreFilterState s = state.read(PRE_FILTER_KEY);
        if (s == null) {
            return Status.success();
        }
        Map<String, String> nodeLabels = node.labels();
        if (!satisfiesPodAffinity(s, nodeLabels)) {
            return Status.unresolvable(ERR_REASON_AFFINITY_RULES_NOT_MATCH);
        }
        // Both anti-affinity checks with one label lookup per distinct topology key (usually just one, the
        // hostname); the incoming pod's own anti-affinity is reported first, as upstream.
        boolean antiCounts = !s.antiAffinityCounts.isEmpty();
        boolean existingCounts = !s.existingAntiAffinityCounts.isEmpty();
        if (antiCounts || existingCounts) {
            boolean anti = false;
            boolean existing = false;
            String[] keys = s.antiKeys;
            for (int i = 0; i < keys.length; i++) {
                String value = node.label(keys[i]);
                if (value == null) {
                    continue;
                }
                if (antiCounts && s.antiKey[i] && s.antiAffinityCounts.get(keys[i], value) > 0) {
                    anti = true;
                    break;
                }
                if (existingCounts && !existing && s.existingAntiAffinityCounts.get(keys[i], value) > 0) {
                    existing = true;
                }
            }
            if (anti) {
                return ANTI_AFFINITY_REJECTED;
            }
            if (existing) {
                return EXISTING_ANTI_AFFINITY_REJECTED;
            }
        }
        return Status.success();
    }

    private static boolean satisfiesPodAffinity(PreFilterState s, Map<String, String> nodeLabels) {
        boolean podsExist = true;
        for (Term t : s.requiredAffinity) {
            String value = nodeLabels.get(t.topologyKey());
            if (value == null) {
                return false; // all topology labels must exist on the node
            }
            if (s.affinityCounts.get(t.topologyKey(), value) <= 0) {
                podsExist = false;
            }
        }
        if (!podsExist) {
            // Without this a group of pods that require each other could never start: if nothing in the cluster
            // matches yet and the pod satisfies its own terms, any node with the topology labels will do.
            return s.affinityCounts.isEmpty() && s.matchesOwnAffinity;
        }
        return true;
    }

    // ---------------------------------------------------------------- PreScore / Score

    /** topology key -> value -> score; read-only after PreScore. */
    static final class PreScoreState implements CycleState.Data {
        final Map<String, HashMap<String, Long>> topologyScore;

        PreScoreState(Map<String, HashMap<String, Long>> topologyScore) {
            this.topologyScore = topologyScore;
        }

        @Override
        public PreScoreState copy() {
            return this;
        }
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes) {
        if (feasibleNodes.isEmpty()) {
            return Status.skip();
        }
        Affinity affinity = pod.pod().getSpec().getAffinity();
        boolean hasPreferredAffinity = affinity != null && affinity.getPodAffinity() != null
                && affinity.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution() != null
                && !affinity.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution().isEmpty();
        boolean hasPreferredAnti = affinity != null && affinity.getPodAntiAffinity() != null
                && affinity.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution() != null
                && !affinity.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution().isEmpty();
        boolean hasConstraints = hasPreferredAffinity || hasPreferredAnti;
        if (ignorePreferredTermsOfExistingPods && !hasConstraints) {
            return Status.skip();
        }
        AffinityTerms terms = pod.derived(AffinityTerms.DERIVED);
        if (terms.error() != null) {
            return Status.error("failed to parse pod: " + terms.error());
        }
        Handle.Listers listers = handle.listers();
        List<WeightedTerm> preferredAffinity = AffinityTerms.mergeWeightedNamespaces(terms.preferredAffinity(),
                listers);
        List<WeightedTerm> preferredAnti = AffinityTerms.mergeWeightedNamespaces(terms.preferredAntiAffinity(),
                listers);
        Map<String, String> nsLabels = listers.namespaceLabels(pod.namespace());
        if (nsLabels == null) {
            nsLabels = Map.of();
        }
        Snapshot snapshot = handle.snapshot();
        Map<String, HashMap<String, Long>> topologyScore = new HashMap<>();
        Pod incoming = pod.pod();
        Map<String, String> incomingNamespaceLabels = nsLabels;
        // Placed pods' own terms, by distinct term: only pods with affinity have any.
        scoringTerms.refresh(snapshot);
        scoringTerms.forEach((weighted, counts) -> {
            if (weighted.term().matches(incoming, incomingNamespaceLabels)) {
                addAll(topologyScore, counts, weighted.weight());
            }
        });
        // The incoming pod's preferred terms against every placed pod, by group of alike pods.
        if (hasConstraints) {
            placedPods.refresh(snapshot);
            placedPods.forEach(group -> {
                PlacedPods.Labels placed = group.labels;
                for (WeightedTerm wt : preferredAffinity) {
                    if (wt.term().matches(placed.namespace(), placed.labels(), null)) {
                        addAll(topologyScore, group.counts(wt.term().topologyKey()), wt.weight());
                    }
                }
                for (WeightedTerm wt : preferredAnti) {
                    if (wt.term().matches(placed.namespace(), placed.labels(), null)) {
                        addAll(topologyScore, group.counts(wt.term().topologyKey()), -wt.weight());
                    }
                }
            });
        }
        if (topologyScore.isEmpty()) {
            return Status.skip();
        }
        state.write(PRE_SCORE_KEY, new PreScoreState(topologyScore));
        return Status.success();
    }

    /** Adds weight times each counted pair to the scores. */
    private static void addAll(Map<String, HashMap<String, Long>> scores, TopologyCounts counts, long weight) {
        counts.forEach((key, value, count) ->
                scores.computeIfAbsent(key, k -> new HashMap<>()).merge(value, count * weight, Long::sum));
    }

    private static List<WeightedTerm> weighted(List<Term> terms, int weight) {
        List<WeightedTerm> list = new java.util.ArrayList<>(terms.size());
        for (Term term : terms) {
            list.add(new WeightedTerm(term, weight));
        }
        return list;
    }

    /** A placed pod's terms that score, each with the weight it adds (negative for preferred anti-affinity). */
    private List<WeightedTerm> scoringTermsOf(AffinityTerms terms) {
        List<WeightedTerm> list = new java.util.ArrayList<>();
        if (hardPodAffinityWeight > 0) {
            list.addAll(weighted(terms.requiredAffinity(), (int) hardPodAffinityWeight));
        }
        if (ignorePreferredTermsOfExistingPods) {
            return list; // upstream's arg: placed pods' preferred terms do not score
        }
        list.addAll(terms.preferredAffinity());
        for (WeightedTerm wt : terms.preferredAntiAffinity()) {
            list.add(new WeightedTerm(wt.term(), -wt.weight()));
        }
        return list;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        PreScoreState s = state.read(PRE_SCORE_KEY);
        if (s == null) {
            return 0;
        }
        Map<String, String> nodeLabels = node.labels();
        long score = 0;
        for (Map.Entry<String, HashMap<String, Long>> e : s.topologyScore.entrySet()) {
            String value = nodeLabels.get(e.getKey());
            if (value != null) {
                Long v = e.getValue().get(value);
                if (v != null) {
                    score += v;
                }
            }
        }
        return score;
    }

    @Override
    public void normalizeScores(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        PreScoreState s = state.read(PRE_SCORE_KEY);
        if (s == null || s.topologyScore.isEmpty()) {
            return;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long score : scores) {
            max = Math.max(max, score);
            min = Math.min(min, score);
        }
        long diff = max - min;
        for (int i = 0; i < scores.length; i++) {
            double f = 0;
            if (diff > 0) {
                f = MAX_NODE_SCORE * ((double) (scores[i] - min) / diff);
            }
            scores[i] = (long) f;
        }
    }

    // ---------------------------------------------------------------- events

    @Override
    public List<Registration> eventsToRegister() {
        return List.of(
                new Registration(ClusterEvent.of(ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.Action.ADD,
                        ClusterEvent.Action.DELETE, ClusterEvent.Action.UPDATE_POD_LABEL), this::afterPodChange),
                // UPDATE_NODE_TAINT as upstream: taints never change this plugin's result, but a node's Add event
                // can be missed by the queue's pre-check, so plugins that register Node/Add also take taint updates.
                Registration.of(ClusterEvent.of(ClusterEvent.Resource.NODE, ClusterEvent.Action.ADD,
                        ClusterEvent.Action.UPDATE_NODE_LABEL, ClusterEvent.Action.UPDATE_NODE_TAINT)),
                // Namespace labels decide which namespaces a namespaceSelector covers.
                Registration.of(ClusterEvent.of(ClusterEvent.Resource.NAMESPACE, ClusterEvent.Action.ADD,
                        ClusterEvent.Action.UPDATE)));
    }

    /**
     * upstream isSchedulableAfterPodChange, erring on the side of QUEUE: namespace selectors are assumed to match,
     * and deleting a pod with required anti-affinity that may match the pod always queues it.
     */
    QueueingHint afterPodChange(PodInfo pod, Object oldObject, Object newObject) {
        Pod original = oldObject instanceof Pod o ? o : null;
        Pod modified = newObject instanceof Pod m ? m : null;
        if (original == null && modified == null) {
            return QueueingHint.QUEUE;
        }
        if (modified != null && unassigned(modified) || original != null && unassigned(original)) {
            return QueueingHint.SKIP;
        }
        AffinityTerms terms = pod.derived(AffinityTerms.DERIVED);
        if (original != null && modified != null) {
            if (!mayMatchAll(terms.requiredAffinity(), original) && mayMatchAll(terms.requiredAffinity(), modified)) {
                return QueueingHint.QUEUE;
            }
            if (mayMatchAny(terms.requiredAntiAffinity(), original)
                    && !mayMatchAny(terms.requiredAntiAffinity(), modified)) {
                return QueueingHint.QUEUE;
            }
            return QueueingHint.SKIP;
        }
        if (modified != null) {
            return mayMatchAll(terms.requiredAffinity(), modified) ? QueueingHint.QUEUE : QueueingHint.SKIP;
        }
        if (mayMatchAny(terms.requiredAntiAffinity(), original)) {
            return QueueingHint.QUEUE;
        }
        for (Term t : AffinityTerms.of(original).requiredAntiAffinity()) {
            if (t.mayMatch(pod.pod())) {
                return QueueingHint.QUEUE;
            }
        }
        return QueueingHint.SKIP;
    }

    private static boolean unassigned(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().isEmpty();
    }

    private static boolean mayMatchAll(List<Term> terms, Pod pod) {
        if (terms.isEmpty()) {
            return false;
        }
        for (Term t : terms) {
            if (!t.mayMatch(pod)) {
                return false;
            }
        }
        return true;
    }

    private static boolean mayMatchAny(List<Term> terms, Pod pod) {
        for (Term t : terms) {
            if (t.mayMatch(pod)) {
                return true;
            }
        }
        return false;
    }
}

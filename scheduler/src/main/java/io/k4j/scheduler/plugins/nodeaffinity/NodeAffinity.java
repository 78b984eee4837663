package io.k4j.scheduler.plugins.nodeaffinity;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
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
import io.k4j.scheduler.plugins.EventObjects;
import java.util.List;
import java.util.Set;

/**
 * Upstream's NodeAffinity: the pod's nodeSelector and required node affinity (plus the profile's enforced
 * {@code addedAffinity}) filter nodes; its preferred terms (plus the added ones) score them by summed weight,
 * normalized to the highest.
 */
public final class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {

    public static final String NAME = "NodeAffinity";

    public static final String ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
    public static final String ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";
    public static final String ERR_REASON_CONFLICT = "pod affinity terms conflict";

    static final CycleState.Key<PreFilterState> PRE_FILTER_KEY = new CycleState.Key<>("PreFilter" + NAME);
    static final CycleState.Key<PreScoreState> PRE_SCORE_KEY = new CycleState.Key<>("PreScore" + NAME);

    private static final PodInfo.Derived<PreferredResult> PREFERRED = new PodInfo.Derived<>(NodeAffinity::parsePreferred);

    record PreFilterState(NodeSelectors.RequiredAffinity required) implements CycleState.Data {
        @Override
        public CycleState.Data copy() {
            return this;
        }
    }

    record PreScoreState(NodeSelectors.PreferredTerms preferred) implements CycleState.Data {
        @Override
        public CycleState.Data copy() {
            return this;
        }
    }

    /** A pod's parsed preferred terms, or why they could not be parsed. */
    private record PreferredResult(NodeSelectors.PreferredTerms terms, String error) {
    }

    private final NodeSelectors.Selector addedNodeSelector;
    private final NodeSelectors.PreferredTerms addedPreferred;

    public NodeAffinity(PluginArgs args, Handle handle) {
        io.fabric8.kubernetes.api.model.NodeAffinity added = args.as("addedAffinity", io.fabric8.kubernetes.api.model.NodeAffinity.class);
        NodeSelectors.Selector selector = null;
        NodeSelectors.PreferredTerms preferred = null;
        if (added != null) {
            NodeSelector required = added.getRequiredDuringSchedulingIgnoredDuringExecution();
            if (required != null) {
                selector = NodeSelectors.parseSelector(required, true);
            }
            List<PreferredSchedulingTerm> terms = added.getPreferredDuringSchedulingIgnoredDuringExecution();
            if (terms != null && !terms.isEmpty()) {
                preferred = NodeSelectors.parsePreferred(terms);
            }
        }
        this.addedNodeSelector = selector;
        this.addedPreferred = preferred;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Result preFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
        NodeSelector required = NodeSelectors.requiredTerms(pod.pod());
        var nodeSelector = pod.pod().getSpec().getNodeSelector();
        if (required == null && addedNodeSelector == null && (nodeSelector == null || nodeSelector.isEmpty())) {
            return Result.of(Status.skip());
        }
        state.write(PRE_FILTER_KEY, new PreFilterState(NodeSelectors.RequiredAffinity.of(pod)));
        if (required == null || required.getNodeSelectorTerms() == null || required.getNodeSelectorTerms().isEmpty()) {
            return Result.success();
        }
        Set<String> nodeNames = NodeSelectors.nodeNames(required);
        if (nodeNames == null) {
            return Result.success();
        }
        if (nodeNames.isEmpty()) {
            return Result.of(Status.unresolvable(ERR_REASON_CONFLICT));
        }
        return new Result(Status.success(), Set.copyOf(nodeNames));
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo nodeInfo) {
        Node node = nodeInfo.node();
        if (addedNodeSelector != null && !addedNodeSelector.matches(node)) {
            return Status.unresolvable(ERR_REASON_ENFORCED);
        }
        PreFilterState s = state.read(PRE_FILTER_KEY);
        NodeSelectors.RequiredAffinity required = s != null ? s.required() : NodeSelectors.RequiredAffinity.of(pod);
        if (!required.matches(node)) {
            return Status.unresolvable(ERR_REASON_POD);
        }
        return Status.success();
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes) {
        if (feasibleNodes.isEmpty()) {
            return Status.success();
        }
        PreferredResult preferred = pod.derived(PREFERRED);
        if (preferred.error() != null) {
            return Status.error(preferred.error());
        }
        if (preferred.terms() == null && addedPreferred == null) {
            return Status.skip();
        }
        state.write(PRE_SCORE_KEY, new PreScoreState(preferred.terms()));
        return Status.success();
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo nodeInfo) {
        Node node = nodeInfo.node();
        long count = 0;
        if (addedPreferred != null) {
            count += addedPreferred.score(node);
        }
        PreScoreState s = state.read(PRE_SCORE_KEY);
        NodeSelectors.PreferredTerms preferred = s != null ? s.preferred() : pod.derived(PREFERRED).terms();
        if (preferred != null) {
            count += preferred.score(node);
        }
        return count;
    }

    @Override
    public void normalizeScores(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        ScorePlugin.normalizeToMax(scores, false);
    }

    private static PreferredResult parsePreferred(Pod pod) {
        List<PreferredSchedulingTerm> terms = NodeSelectors.preferredTerms(pod);
        if (terms == null) {
            return new PreferredResult(null, null);
        }
        try {
            return new PreferredResult(NodeSelectors.parsePreferred(terms), null);
        } catch (IllegalArgumentException e) {
            return new PreferredResult(null, e.getMessage());
        }
    }

    @Override
    public List<Registration> eventsToRegister() {
        return List.of(new Registration(
                ClusterEvent.of(ClusterEvent.Resource.NODE, ClusterEvent.Action.ADD, ClusterEvent.Action.UPDATE_NODE_LABEL),
                this::isSchedulableAfterNodeChange));
    }

    QueueingHint isSchedulableAfterNodeChange(PodInfo pod, Object oldObject, Object newObject) {
        Node modified = EventObjects.node(newObject);
        if (modified == null) {
            return QueueingHint.QUEUE;
        }
        if (addedNodeSelector != null && !addedNodeSelector.matches(modified)) {
            return QueueingHint.SKIP;
        }
        NodeSelectors.RequiredAffinity required = NodeSelectors.RequiredAffinity.of(pod);
        if (!required.matches(modified)) {
            return QueueingHint.SKIP;
        }
        Node original = EventObjects.node(oldObject);
        if (original == null) {
            return QueueingHint.QUEUE;
        }
        return required.matches(original) ? QueueingHint.SKIP : QueueingHint.QUEUE;
    }
}

package io.k4j.scheduler.plugins.tainttoleration;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.k4j.scheduler.framework.ClusterEvent;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.EnqueueExtensions;
import io.k4j.scheduler.framework.FilterPlugin;
import io.k4j.scheduler.framework.Handle;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.PreScorePlugin;
import io.k4j.scheduler.framework.ScorePlugin;
import io.k4j.scheduler.framework.Status;
import io.k4j.scheduler.plugins.EventObjects;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's TaintToleration: a node with a NoSchedule or NoExecute taint the pod does not tolerate is filtered out;
 * nodes score lower the more PreferNoSchedule taints the pod does not tolerate.
 */
public final class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {

    public static final String NAME = "TaintToleration";

    static final CycleState.Key<PreScoreState> PRE_SCORE_KEY = new CycleState.Key<>("PreScore" + NAME);

    /** The pod's tolerations that can tolerate PreferNoSchedule taints (effect empty or PreferNoSchedule). */
    record PreScoreState(List<Toleration> tolerationsPreferNoSchedule) implements CycleState.Data {
        @Override
        public CycleState.Data copy() {
            return this;
        }
    }

    public TaintToleration(PluginArgs args, Handle handle) {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The reason a node with this untolerated taint is filtered out, as upstream words it. */
    public static String untoleratedReason(Taint taint) {
        return "node(s) had untolerated taint {" + nullToEmpty(taint.getKey()) + ": " + nullToEmpty(taint.getValue()) + "}";
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo nodeInfo) {
        Taint taint = Tolerations.findUntolerated(nodeInfo.taints(), pod.pod().getSpec().getTolerations(),
                Tolerations.DO_NOT_SCHEDULE);
        if (taint == null) {
            return Status.success();
        }
        return Status.unresolvable(untoleratedReason(taint));
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes) {
        if (feasibleNodes.isEmpty()) {
            return Status.success();
        }
        state.write(PRE_SCORE_KEY, new PreScoreState(preferNoScheduleTolerations(pod.pod())));
        return Status.success();
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo nodeInfo) {
        PreScoreState s = state.read(PRE_SCORE_KEY);
        List<Toleration> tolerations = s != null ? s.tolerationsPreferNoSchedule() : preferNoScheduleTolerations(pod.pod());
        return countIntolerablePreferNoSchedule(nodeInfo.taints(), tolerations);
    }

    @Override
    public void normalizeScores(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        ScorePlugin.normalizeToMax(scores, true);
    }

    static List<Toleration> preferNoScheduleTolerations(Pod pod) {
        List<Toleration> result = new ArrayList<>();
        List<Toleration> tolerations = pod.getSpec().getTolerations();
        if (tolerations != null) {
            for (Toleration toleration : tolerations) {
                String effect = toleration.getEffect();
                if (effect == null || effect.isEmpty() || Tolerations.EFFECT_PREFER_NO_SCHEDULE.equals(effect)) {
                    result.add(toleration);
                }
            }
        }
        return result;
    }

    static long countIntolerablePreferNoSchedule(List<Taint> taints, List<Toleration> tolerations) {
        long count = 0;
        for (Taint taint : taints) {
            if (Tolerations.EFFECT_PREFER_NO_SCHEDULE.equals(taint.getEffect()) && !Tolerations.tolerate(tolerations, taint)) {
                count++;
            }
        }
        return count;
    }

    @Override
    public List<Registration> eventsToRegister() {
        return List.of(
                new Registration(ClusterEvent.of(ClusterEvent.Resource.NODE, ClusterEvent.Action.ADD,
                        ClusterEvent.Action.UPDATE_NODE_TAINT), TaintToleration::isSchedulableAfterNodeChange),
                new Registration(ClusterEvent.of(ClusterEvent.Resource.UNSCHEDULED_POD,
                        ClusterEvent.Action.UPDATE_POD_TOLERATIONS), TaintToleration::isSchedulableAfterPodTolerationChange));
    }

    /** Queue when the node went from having an untolerated NoSchedule/NoExecute taint (or not existing) to none. */
    static QueueingHint isSchedulableAfterNodeChange(PodInfo pod, Object oldObject, Object newObject) {
        Node modified = EventObjects.node(newObject);
        if (modified == null) {
            return QueueingHint.QUEUE;
        }
        List<Toleration> tolerations = pod.pod().getSpec().getTolerations();
        Node original = EventObjects.node(oldObject);
        boolean wasUntolerated = original == null
                || Tolerations.findUntolerated(Tolerations.taints(original), tolerations, Tolerations.DO_NOT_SCHEDULE) != null;
        boolean isUntolerated =
                Tolerations.findUntolerated(Tolerations.taints(modified), tolerations, Tolerations.DO_NOT_SCHEDULE) != null;
        return wasUntolerated && !isUntolerated ? QueueingHint.QUEUE : QueueingHint.SKIP;
    }

    /** Queue when the pod's own tolerations changed. */
    static QueueingHint isSchedulableAfterPodTolerationChange(PodInfo pod, Object oldObject, Object newObject) {
        Pod modified = EventObjects.pod(newObject);
        if (modified == null) {
            return QueueingHint.QUEUE;
        }
        return EventObjects.samePod(pod.pod(), modified) ? QueueingHint.QUEUE : QueueingHint.SKIP;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}

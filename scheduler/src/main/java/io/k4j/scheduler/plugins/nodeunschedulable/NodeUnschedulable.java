package io.k4j.scheduler.plugins.nodeunschedulable;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Toleration;
import io.k4j.scheduler.framework.ClusterEvent;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.EnqueueExtensions;
import io.k4j.scheduler.framework.FilterPlugin;
import io.k4j.scheduler.framework.Handle;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.Status;
import io.k4j.scheduler.plugins.EventObjects;
import io.k4j.scheduler.plugins.tainttoleration.Tolerations;
import java.util.List;

/**
 * Upstream's NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods that tolerate the
 * {@code node.kubernetes.io/unschedulable:NoSchedule} taint.
 */
public final class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {

    public static final String NAME = "NodeUnschedulable";

    public static final String ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable";

    public NodeUnschedulable(PluginArgs args, Handle handle) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo nodeInfo) {
        if (!nodeInfo.unschedulable() || toleratesUnschedulable(pod.pod().getSpec().getTolerations())) {
            return Status.success();
        }
        return Status.unresolvable(ERR_REASON_UNSCHEDULABLE);
    }

    static boolean isUnschedulable(Node node) {
        return node != null && node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
    }

    static boolean toleratesUnschedulable(List<Toleration> tolerations) {
        return Tolerations.tolerate(tolerations, Tolerations.TAINT_NODE_UNSCHEDULABLE, Tolerations.EFFECT_NO_SCHEDULE);
    }

    @Override
    public List<Registration> eventsToRegister() {
        return List.of(
                // upstream reports a change of spec.unschedulable as a taint update
                new Registration(ClusterEvent.of(ClusterEvent.Resource.NODE, ClusterEvent.Action.ADD,
                        ClusterEvent.Action.UPDATE_NODE_TAINT), NodeUnschedulable::isSchedulableAfterNodeChange),
                new Registration(ClusterEvent.of(ClusterEvent.Resource.UNSCHEDULED_POD,
                        ClusterEvent.Action.UPDATE_POD_TOLERATIONS), NodeUnschedulable::isSchedulableAfterPodTolerationChange));
    }

    /** Queue for a new schedulable node, or a node that became schedulable. */
    static QueueingHint isSchedulableAfterNodeChange(PodInfo pod, Object oldObject, Object newObject) {
        Node modified = EventObjects.node(newObject);
        if (modified == null) {
            return QueueingHint.QUEUE;
        }
        Node original = EventObjects.node(oldObject);
        if (!isUnschedulable(modified) && (original == null || isUnschedulable(original))) {
            return QueueingHint.QUEUE;
        }
        return QueueingHint.SKIP;
    }

    /** Queue when the pod itself came to tolerate the unschedulable taint. */
    static QueueingHint isSchedulableAfterPodTolerationChange(PodInfo pod, Object oldObject, Object newObject) {
        Pod original = EventObjects.pod(oldObject);
        Pod modified = EventObjects.pod(newObject);
        if (modified == null) {
            return QueueingHint.QUEUE;
        }
        if (EventObjects.samePod(pod.pod(), modified)
                && (original == null || !toleratesUnschedulable(original.getSpec().getTolerations()))
                && toleratesUnschedulable(modified.getSpec().getTolerations())) {
            return QueueingHint.QUEUE;
        }
        return QueueingHint.SKIP;
    }
}

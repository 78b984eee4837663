package io.k4j.scheduler.plugins.nodename;

import io.fabric8.kubernetes.api.model.Node;
import io.k4j.scheduler.framework.ClusterEvent;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.EnqueueExtensions;
import io.k4j.scheduler.framework.FilterPlugin;
import io.k4j.scheduler.framework.Handle;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.PreFilterPlugin;
import io.k4j.scheduler.framework.Snapshot;
import io.k4j.scheduler.framework.Status;
import io.k4j.scheduler.plugins.EventObjects;
import java.util.List;
import java.util.Set;

/** Upstream's NodeName: a pod that names its node (spec.nodeName) fits only there. */
public final class NodeName implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {

    public static final String NAME = "NodeName";

    public static final String ERR_REASON = "node(s) didn't match the requested node name";

    public NodeName(PluginArgs args, Handle handle) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Result preFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
        String nodeName = pod.nodeName();
        if (nodeName == null || nodeName.isEmpty()) {
            return Result.of(Status.skip());
        }
        return new Result(Status.success(), Set.of(nodeName));
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo nodeInfo) {
        return fits(pod, nodeInfo.node()) ? Status.success() : Status.unresolvable(ERR_REASON);
    }

    /** Whether the pod names no node, or this one. */
    public static boolean fits(PodInfo pod, Node node) {
        String nodeName = pod.nodeName();
        return nodeName == null || nodeName.isEmpty() || nodeName.equals(node.getMetadata().getName());
    }

    @Override
    public List<Registration> eventsToRegister() {
        return List.of(new Registration(ClusterEvent.of(ClusterEvent.Resource.NODE, ClusterEvent.Action.ADD),
                NodeName::isSchedulableAfterNodeAdd));
    }

    /** Queue when the added node is the one the pod names. */
    static QueueingHint isSchedulableAfterNodeAdd(PodInfo pod, Object oldObject, Object newObject) {
        Node added = EventObjects.node(newObject);
        if (added == null) {
            return QueueingHint.QUEUE;
        }
        return fits(pod, added) ? QueueingHint.QUEUE : QueueingHint.SKIP;
    }
}

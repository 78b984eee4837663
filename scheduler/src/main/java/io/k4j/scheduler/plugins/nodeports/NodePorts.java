package io.k4j.scheduler.plugins.nodeports;

import io.fabric8.kubernetes.api.model.Pod;
import io.k4j.scheduler.framework.ClusterEvent;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.EnqueueExtensions;
import io.k4j.scheduler.framework.FilterPlugin;
import io.k4j.scheduler.framework.Handle;
import io.k4j.scheduler.framework.HostPort;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.PreFilterPlugin;
import io.k4j.scheduler.framework.Snapshot;
import io.k4j.scheduler.framework.Status;
import io.k4j.scheduler.plugins.EventObjects;
import java.util.List;

/** Upstream's NodePorts: a pod's host ports must not clash with those the node's pods already claim. */
public final class NodePorts implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {

    public static final String NAME = "NodePorts";

    public static final String ERR_REASON = "node(s) didn't have free ports for the requested pod ports";

    static final CycleState.Key<PreFilterState> PRE_FILTER_KEY = new CycleState.Key<>("PreFilter" + NAME);

    private static final PodInfo.Derived<List<HostPort>> PORTS = new PodInfo.Derived<>(HostPort::of);

    /** The host ports the pod wants. */
    record PreFilterState(List<HostPort> ports) implements CycleState.Data {
        @Override
        public CycleState.Data copy() {
            return this;
        }
    }

    public NodePorts(PluginArgs args, Handle handle) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Result preFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
        List<HostPort> ports = pod.derived(PORTS);
        if (ports.isEmpty()) {
            return Result.of(Status.skip());
        }
        state.write(PRE_FILTER_KEY, new PreFilterState(ports));
        return Result.success();
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo nodeInfo) {
        PreFilterState s = state.read(PRE_FILTER_KEY);
        List<HostPort> wanted = s != null ? s.ports() : pod.derived(PORTS);
        return fits(wanted, nodeInfo.usedPorts()) ? Status.success() : Status.unschedulable(ERR_REASON);
    }

    /** Whether none of the wanted ports clashes with one in use. */
    public static boolean fits(List<HostPort> wanted, List<HostPort> used) {
        for (HostPort want : wanted) {
            for (HostPort inUse : used) {
                if (want.conflictsWith(inUse)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public List<Registration> eventsToRegister() {
        return List.of(
                // containers' ports are immutable, so only a deletion can free a port
                new Registration(ClusterEvent.of(ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.Action.DELETE),
                        NodePorts::isSchedulableAfterPodDeleted),
                Registration.of(ClusterEvent.of(ClusterEvent.Resource.NODE, ClusterEvent.Action.ADD)));
    }

    /** Queue when the deleted pod was bound (or nominated) and held a port this pod wants. */
    static QueueingHint isSchedulableAfterPodDeleted(PodInfo pod, Object oldObject, Object newObject) {
        Pod deleted = EventObjects.pod(oldObject);
        if (deleted == null) {
            return QueueingHint.QUEUE;
        }
        String nodeName = deleted.getSpec().getNodeName();
        String nominated = deleted.getStatus() == null ? null : deleted.getStatus().getNominatedNodeName();
        if ((nodeName == null || nodeName.isEmpty()) && (nominated == null || nominated.isEmpty())) {
            return QueueingHint.SKIP;
        }
        List<HostPort> freed = HostPort.of(deleted);
        if (freed.isEmpty()) {
            return QueueingHint.SKIP;
        }
        return fits(pod.derived(PORTS), freed) ? QueueingHint.SKIP : QueueingHint.QUEUE;
    }
}

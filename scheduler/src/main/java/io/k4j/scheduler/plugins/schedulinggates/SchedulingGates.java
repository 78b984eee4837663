package io.k4j.scheduler.plugins.schedulinggates;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSchedulingGate;
import io.k4j.scheduler.framework.ClusterEvent;
import io.k4j.scheduler.framework.Code;
import io.k4j.scheduler.framework.EnqueueExtensions;
import io.k4j.scheduler.framework.Handle;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.PreEnqueuePlugin;
import io.k4j.scheduler.framework.Status;
import io.k4j.scheduler.plugins.EventObjects;
import java.util.List;

/** Upstream's SchedulingGates: a pod with spec.schedulingGates waits outside the active queue until they are gone. */
public final class SchedulingGates implements PreEnqueuePlugin, EnqueueExtensions {

    public static final String NAME = "SchedulingGates";

    public SchedulingGates(PluginArgs args, Handle handle) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preEnqueue(PodInfo pod) {
        List<PodSchedulingGate> gates = pod.pod().getSpec().getSchedulingGates();
        if (gates == null || gates.isEmpty()) {
            return Status.success();
        }
        List<String> names = gates.stream().map(PodSchedulingGate::getName).toList();
        // as Go prints a []string: [a b]
        return Status.of(Code.PENDING, "waiting for scheduling gates: [" + String.join(" ", names) + "]");
    }

    @Override
    public List<Registration> eventsToRegister() {
        return List.of(new Registration(ClusterEvent.of(ClusterEvent.Resource.UNSCHEDULED_POD,
                ClusterEvent.Action.UPDATE_POD_SCHEDULING_GATES_ELIMINATED), SchedulingGates::isSchedulableAfterGatesEliminated));
    }

    /** Queue only when it is this pod whose gates were removed. */
    static QueueingHint isSchedulableAfterGatesEliminated(PodInfo pod, Object oldObject, Object newObject) {
        Pod modified = EventObjects.pod(newObject);
        if (modified == null) {
            return QueueingHint.QUEUE;
        }
        return EventObjects.samePod(pod.pod(), modified) ? QueueingHint.QUEUE : QueueingHint.SKIP;
    }
}

package io.k4j.controllers.endpoints;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.Pods;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's trigger time tracker: for each service, the time of the earliest change (a pod's readiness transition,
 * or the service's creation) not yet reflected in its endpoints, for the last-change-trigger-time annotation.
 */
public final class TriggerTimes {

    /** A pod's readiness as last seen: its status and since when (a flip within a second keeps the time). */
    private record Readiness(String status, Instant since) {
    }

    private record State(Instant service, Map<String, Readiness> pods) {
    }

    private final Map<ObjectKey, State> states = new ConcurrentHashMap<>();

    /** The earliest unseen change among the service and its pods, or null; remembers them as seen. */
    public Instant compute(Service service, List<Pod> pods) {
        ObjectKey key = ObjectKey.of(service);
        State old = states.get(key);
        Instant created = parse(service.getMetadata().getCreationTimestamp());
        Instant earliest = old == null || !java.util.Objects.equals(old.service, created) ? created : null;
        Map<String, Readiness> podTimes = new HashMap<>();
        for (Pod pod : pods) {
            PodCondition ready = Pods.condition(pod, "Ready");
            Instant time = ready == null ? null : parse(ready.getLastTransitionTime());
            if (time == null) {
                continue;
            }
            Readiness readiness = new Readiness(ready.getStatus(), time);
            podTimes.put(pod.getMetadata().getName(), readiness);
            Readiness before = old == null ? null : old.pods.get(pod.getMetadata().getName());
            if (!readiness.equals(before) && (earliest == null || time.isBefore(earliest))) {
                earliest = time;
            }
        }
        states.put(key, new State(created, podTimes));
        return earliest;
    }

    public void forget(ObjectKey service) {
        states.remove(service);
    }

    private static Instant parse(String timestamp) {
        try {
            return timestamp == null ? null : Instant.parse(timestamp);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}

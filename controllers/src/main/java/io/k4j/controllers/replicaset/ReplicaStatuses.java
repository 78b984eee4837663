package io.k4j.controllers.replicaset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.k4j.controllers.api.Pods;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The status of a ReplicaSet or ReplicationController from its claimed active pods, as upstream calculates it. */
public final class ReplicaStatuses {

    private ReplicaStatuses() {
    }

    /**
     * @param failure the message of the last create/delete failure of this sync, or null if none
     * @param diff    pods minus spec.replicas: negative when creating (FailedCreate), positive when deleting
     */
    public static ReplicaStatus calculate(ReplicaStatus current, List<Pod> pods, PodTemplateSpec template,
            int minReadySeconds, Long generation, String failure, int diff, Instant now) {
        Map<String, String> templateLabels = template == null || template.getMetadata() == null
                || template.getMetadata().getLabels() == null ? Map.of() : template.getMetadata().getLabels();
        int fullyLabeled = 0;
        int ready = 0;
        int available = 0;
        for (Pod pod : pods) {
            Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
            if (labels.entrySet().containsAll(templateLabels.entrySet())) {
                fullyLabeled++;
            }
            if (Pods.isReady(pod)) {
                ready++;
                if (Pods.isAvailable(pod, minReadySeconds, now)) {
                    available++;
                }
            }
        }
        ReplicaStatus status = new ReplicaStatus(pods.size(), fullyLabeled, ready, available,
                generation == null ? 0 : generation, current.conditions());
        ReplicaStatus.Condition failed = current.condition(ReplicaStatus.REPLICA_FAILURE);
        if (failure != null && failed == null) {
            String reason = diff < 0 ? "FailedCreate" : "FailedDelete";
            return status.withCondition(new ReplicaStatus.Condition(ReplicaStatus.REPLICA_FAILURE, "True",
                    now.truncatedTo(ChronoUnit.SECONDS).toString(), reason, failure));
        }
        if (failure == null && failed != null) {
            return status.withoutCondition(ReplicaStatus.REPLICA_FAILURE);
        }
        return status;
    }

    /** How long until the next ready pod has been ready for minReadySeconds, if one is waiting for that. */
    public static Optional<Duration> untilNextAvailable(List<Pod> pods, int minReadySeconds, Instant now) {
        if (minReadySeconds <= 0) {
            return Optional.empty();
        }
        Duration soonest = null;
        for (Pod pod : pods) {
            PodCondition ready = Pods.condition(pod, "Ready");
            if (!Pods.isReady(pod) || Pods.isAvailable(pod, minReadySeconds, now)
                    || ready.getLastTransitionTime() == null) {
                continue;
            }
            Duration left = Duration.between(now,
                    Instant.parse(ready.getLastTransitionTime()).plusSeconds(minReadySeconds));
            if (soonest == null || left.compareTo(soonest) < 0) {
                soonest = left;
            }
        }
        return Optional.ofNullable(soonest).map(d -> d.isNegative() || d.isZero() ? Duration.ofMillis(1) : d);
    }
}

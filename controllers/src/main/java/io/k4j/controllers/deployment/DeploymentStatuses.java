package io.k4j.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Deployment's status and conditions, as upstream's deployment util computes them: counts summed over its
 * ReplicaSets, Available from maxUnavailable, and Progressing from how the rollout moves against
 * progressDeadlineSeconds.
 */
public final class DeploymentStatuses {

    public static final String PROGRESSING = "Progressing";
    public static final String AVAILABLE = "Available";
    public static final String REPLICA_FAILURE = "ReplicaFailure";

    public static final String NEW_RS_CREATED = "NewReplicaSetCreated";
    public static final String FOUND_NEW_RS = "FoundNewReplicaSet";
    public static final String FAILED_RS_CREATE = "ReplicaSetCreateError";
    public static final String RS_UPDATED = "ReplicaSetUpdated";
    public static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
    public static final String TIMED_OUT = "ProgressDeadlineExceeded";
    public static final String PAUSED = "DeploymentPaused";
    public static final String RESUMED = "DeploymentResumed";
    public static final String MIN_AVAILABLE = "MinimumReplicasAvailable";
    public static final String MIN_UNAVAILABLE = "MinimumReplicasUnavailable";

    private DeploymentStatuses() {
    }

    public static DeploymentCondition condition(String type, String status, String reason, String message,
            Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        return new DeploymentCondition(time, time, message, reason, status, type);
    }

    public static DeploymentCondition get(DeploymentStatus status, String type) {
        if (status == null || status.getConditions() == null) {
            return null;
        }
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    /**
     * Sets a condition unless one of the same status and reason is there; keeps lastTransitionTime when the status
     * stays the same (SetDeploymentCondition).
     */
    public static void set(DeploymentStatus status, DeploymentCondition condition) {
        DeploymentCondition current = get(status, condition.getType());
        if (current != null && Objects.equals(current.getStatus(), condition.getStatus())
                && Objects.equals(current.getReason(), condition.getReason())) {
            return;
        }
        if (current != null && Objects.equals(current.getStatus(), condition.getStatus())) {
            condition.setLastTransitionTime(current.getLastTransitionTime());
        }
        remove(status, condition.getType());
        List<DeploymentCondition> conditions = new ArrayList<>(
                status.getConditions() == null ? List.of() : status.getConditions());
        conditions.add(condition);
        status.setConditions(conditions);
    }

    public static void remove(DeploymentStatus status, String type) {
        if (status.getConditions() != null) {
            status.setConditions(new ArrayList<>(status.getConditions().stream()
                    .filter(c -> !type.equals(c.getType())).toList()));
        }
    }

    static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    static DeploymentStatus statusOf(Deployment d) {
        return d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    }

    /** Counts from the ReplicaSets, the conditions carried over, and Available set (calculateStatus). */
    public static DeploymentStatus calculate(List<ReplicaSet> all, ReplicaSet newRS, Deployment d, Instant now) {
        int available = ReplicaSets.totalAvailable(all);
        int total = ReplicaSets.totalReplicas(all);
        DeploymentStatus old = statusOf(d);
        DeploymentStatus status = new DeploymentStatusBuilder()
                .withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(ReplicaSets.totalActual(all))
                .withUpdatedReplicas(newRS == null ? 0 : ReplicaSets.statusReplicas(newRS))
                .withReadyReplicas(ReplicaSets.totalReady(all))
                .withAvailableReplicas(available)
                .withUnavailableReplicas(Math.max(0, total - available))
                .withCollisionCount(old.getCollisionCount())
                .build();
        List<DeploymentCondition> conditions = new ArrayList<>();
        if (old.getConditions() != null) {
            old.getConditions().forEach(c -> conditions.add(copy(c)));
        }
        status.setConditions(conditions);
        if (available >= RolloutMath.replicas(d) - RolloutMath.maxUnavailable(d)) {
            set(status, condition(AVAILABLE, "True", MIN_AVAILABLE, "Deployment has minimum availability.", now));
        } else {
            set(status, condition(AVAILABLE, "False", MIN_UNAVAILABLE,
                    "Deployment does not have minimum availability.", now));
        }
        return status;
    }

    private static DeploymentCondition copy(DeploymentCondition c) {
        return new DeploymentCondition(c.getLastTransitionTime(), c.getLastUpdateTime(), c.getMessage(),
                c.getReason(), c.getStatus(), c.getType());
    }

    public static boolean hasProgressDeadline(Deployment d) {
        Integer deadline = d.getSpec().getProgressDeadlineSeconds();
        return deadline != null && deadline != Integer.MAX_VALUE;
    }

    /** Every replica updated and available, none old left, and this generation observed. */
    public static boolean complete(Deployment d, DeploymentStatus status) {
        int replicas = RolloutMath.replicas(d);
        return orZero(status.getUpdatedReplicas()) == replicas && orZero(status.getReplicas()) == replicas
                && orZero(status.getAvailableReplicas()) == replicas
                && (status.getObservedGeneration() == null ? 0 : status.getObservedGeneration())
                >= (d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration());
    }

    /** More updated, fewer old, more ready or more available replicas than the status last written. */
    public static boolean progressing(Deployment d, DeploymentStatus status) {
        DeploymentStatus old = statusOf(d);
        int oldOld = orZero(old.getReplicas()) - orZero(old.getUpdatedReplicas());
        int newOld = orZero(status.getReplicas()) - orZero(status.getUpdatedReplicas());
        return orZero(status.getUpdatedReplicas()) > orZero(old.getUpdatedReplicas()) || newOld < oldOld
                || orZero(status.getReadyReplicas()) > orZero(old.getReadyReplicas())
                || orZero(status.getAvailableReplicas()) > orZero(old.getAvailableReplicas());
    }

    /** No progress reported for progressDeadlineSeconds since the Progressing condition last changed. */
    public static boolean timedOut(Deployment d, DeploymentStatus status, Instant now) {
        if (!hasProgressDeadline(d)) {
            return false;
        }
        DeploymentCondition progressing = get(status, PROGRESSING);
        if (progressing == null || NEW_RS_AVAILABLE.equals(progressing.getReason())) {
            return false;
        }
        if (TIMED_OUT.equals(progressing.getReason())) {
            return true;
        }
        Instant from = Instant.parse(progressing.getLastUpdateTime());
        return from.plusSeconds(d.getSpec().getProgressDeadlineSeconds()).isBefore(now);
    }

    /** The status after a rollout step (syncRolloutStatus): counts, Progressing as the rollout stands, failures. */
    public static DeploymentStatus rollout(List<ReplicaSet> all, ReplicaSet newRS, Deployment d, Instant now) {
        DeploymentStatus status = calculate(all, newRS, d, now);
        if (!hasProgressDeadline(d)) {
            remove(status, PROGRESSING);
        }
        DeploymentCondition current = get(statusOf(d), PROGRESSING);
        boolean alreadyComplete = Objects.equals(status.getReplicas(), status.getUpdatedReplicas())
                && current != null && NEW_RS_AVAILABLE.equals(current.getReason());
        if (hasProgressDeadline(d) && !alreadyComplete) {
            String subject = newRS == null ? "Deployment \"" + d.getMetadata().getName() + "\""
                    : "ReplicaSet \"" + newRS.getMetadata().getName() + "\"";
            if (complete(d, status)) {
                set(status, condition(PROGRESSING, "True", NEW_RS_AVAILABLE, subject + " has successfully progressed.",
                        now));
            } else if (progressing(d, status)) {
                DeploymentCondition update = condition(PROGRESSING, "True", RS_UPDATED, subject + " is progressing.",
                        now);
                if (current != null) {
                    if ("True".equals(current.getStatus())) {
                        update.setLastTransitionTime(current.getLastTransitionTime());
                    }
                    remove(status, PROGRESSING);
                }
                set(status, update);
            } else if (timedOut(d, status, now)) {
                set(status, condition(PROGRESSING, "False", TIMED_OUT, subject + " has timed out progressing.", now));
            }
        }
        List<DeploymentCondition> failures = replicaFailures(all, newRS);
        if (!failures.isEmpty()) {
            set(status, failures.getFirst());
        } else {
            remove(status, REPLICA_FAILURE);
        }
        return status;
    }

    /** ReplicaFailure conditions of the new ReplicaSet, else of any other, as Deployment conditions. */
    static List<DeploymentCondition> replicaFailures(List<ReplicaSet> all, ReplicaSet newRS) {
        List<DeploymentCondition> failures = new ArrayList<>();
        if (newRS != null) {
            failures.addAll(failuresOf(newRS));
        }
        if (!failures.isEmpty()) {
            return failures;
        }
        for (ReplicaSet rs : all) {
            if (rs != null) {
                failures.addAll(failuresOf(rs));
            }
        }
        return failures;
    }

    private static List<DeploymentCondition> failuresOf(ReplicaSet rs) {
        if (rs.getStatus() == null || rs.getStatus().getConditions() == null) {
            return List.of();
        }
        List<DeploymentCondition> failures = new ArrayList<>();
        for (ReplicaSetCondition c : rs.getStatus().getConditions()) {
            if (REPLICA_FAILURE.equals(c.getType())) {
                failures.add(new DeploymentCondition(c.getLastTransitionTime(), c.getLastTransitionTime(),
                        c.getMessage(), c.getReason(), c.getStatus(), REPLICA_FAILURE));
            }
        }
        return failures;
    }

    /**
     * When to look again at a rollout that shows no progress, to notice its deadline passing (requeueStuckDeployment):
     * empty when there is no deadline, no Progressing condition, or the rollout completed or already timed out.
     */
    public static Optional<Duration> untilDeadline(Deployment d, DeploymentStatus newStatus, Instant now) {
        DeploymentCondition current = get(statusOf(d), PROGRESSING);
        if (!hasProgressDeadline(d) || current == null || complete(d, newStatus)
                || TIMED_OUT.equals(current.getReason())) {
            return Optional.empty();
        }
        Duration after = Duration.between(now, Instant.parse(current.getLastUpdateTime())
                .plusSeconds(d.getSpec().getProgressDeadlineSeconds()));
        return Optional.of(after.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : after);
    }
}

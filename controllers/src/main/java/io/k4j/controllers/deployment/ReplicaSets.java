package io.k4j.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** Reading ReplicaSets as the deployment controller does: nil-safe counts and upstream's sort orders. */
public final class ReplicaSets {

    private ReplicaSets() {
    }

    public static int replicas(ReplicaSet rs) {
        return rs == null || rs.getSpec() == null || rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas();
    }

    public static int statusReplicas(ReplicaSet rs) {
        return rs == null || rs.getStatus() == null || rs.getStatus().getReplicas() == null ? 0
                : rs.getStatus().getReplicas();
    }

    public static int ready(ReplicaSet rs) {
        return rs == null || rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null ? 0
                : rs.getStatus().getReadyReplicas();
    }

    public static int available(ReplicaSet rs) {
        return rs == null || rs.getStatus() == null || rs.getStatus().getAvailableReplicas() == null ? 0
                : rs.getStatus().getAvailableReplicas();
    }

    /** Sum of spec.replicas. */
    public static int totalReplicas(List<ReplicaSet> sets) {
        return sets.stream().filter(Objects::nonNull).mapToInt(ReplicaSets::replicas).sum();
    }

    /**
     * Pods a ReplicaSet has or is about to have: its size, or more while its controller has yet to delete pods after
     * a scale-down (status.replicas lags spec.replicas).
     */
    public static int podsOf(ReplicaSet rs) {
        return Math.max(replicas(rs), statusReplicas(rs));
    }

    /** Available pods it will still have once it reaches its size (a scale-down not yet carried out removes some). */
    public static int availableAfterScale(ReplicaSet rs) {
        return Math.min(available(rs), replicas(rs));
    }

    /** Sum of status.replicas (pods that exist). */
    public static int totalActual(List<ReplicaSet> sets) {
        return sets.stream().filter(Objects::nonNull).mapToInt(ReplicaSets::statusReplicas).sum();
    }

    public static int totalReady(List<ReplicaSet> sets) {
        return sets.stream().filter(Objects::nonNull).mapToInt(ReplicaSets::ready).sum();
    }

    public static int totalAvailable(List<ReplicaSet> sets) {
        return sets.stream().filter(Objects::nonNull).mapToInt(ReplicaSets::available).sum();
    }

    /** Those with spec.replicas above zero. */
    public static List<ReplicaSet> active(List<ReplicaSet> sets) {
        return sets.stream().filter(rs -> rs != null && replicas(rs) > 0).toList();
    }

    static Instant created(ReplicaSet rs) {
        String created = rs.getMetadata().getCreationTimestamp();
        return created == null ? Instant.EPOCH : Instant.parse(created);
    }

    /** Oldest first, ties by name (ReplicaSetsByCreationTimestamp). */
    public static final Comparator<ReplicaSet> OLDEST_FIRST = Comparator.comparing(ReplicaSets::created)
            .thenComparing(rs -> rs.getMetadata().getName());

    /** Larger first; equal sizes newer first (ReplicaSetsBySizeNewer, for scaling up). */
    public static final Comparator<ReplicaSet> LARGER_THEN_NEWER = Comparator.comparingInt(ReplicaSets::replicas)
            .reversed().thenComparing(OLDEST_FIRST.reversed());

    /** Larger first; equal sizes older first (ReplicaSetsBySizeOlder, for scaling down). */
    public static final Comparator<ReplicaSet> LARGER_THEN_OLDER = Comparator.comparingInt(ReplicaSets::replicas)
            .reversed().thenComparing(OLDEST_FIRST);
}

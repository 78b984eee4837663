package io.k4j.controllers.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The arithmetic of a rollout, as upstream's deployment util: how far maxSurge and maxUnavailable reach, how many
 * pods the new ReplicaSet may have next, which old ReplicaSets shrink by how much, and how a resize of a rollout in
 * progress is spread over its ReplicaSets. Pure functions; the controller carries out the {@link Scale}s they plan.
 */
public final class RolloutMath {

    private RolloutMath() {
    }

    /** A ReplicaSet to be resized to {@code replicas}. */
    public record Scale(ReplicaSet replicaSet, int replicas) {
    }

    /**
     * An int, or a percentage of {@code total} rounded up or down (upstream's GetScaledValueFromIntOrPercent).
     *
     * @throws IllegalArgumentException for a string that is not a percentage
     */
    public static int scaledValue(IntOrString value, int total, boolean roundUp) {
        if (value == null) {
            return 0;
        }
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value.getStrVal() == null ? "" : value.getStrVal();
        if (!text.endsWith("%")) {
            throw new IllegalArgumentException("invalid value for IntOrString: invalid type: string is not a percentage");
        }
        int percent;
        try {
            percent = Integer.parseInt(text.substring(0, text.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid value \"" + text + "\": " + e.getMessage());
        }
        long product = (long) percent * total;
        return (int) (roundUp ? Math.ceilDiv(product, 100) : Math.floorDiv(product, 100));
    }

    public record Fenceposts(int maxSurge, int maxUnavailable) {
    }

    /**
     * maxSurge rounded up and maxUnavailable rounded down for {@code desired} replicas; when both come to zero (only
     * through rounding, validation forbids it otherwise) maxUnavailable becomes 1 so the rollout can proceed.
     */
    public static Fenceposts resolveFenceposts(IntOrString maxSurge, IntOrString maxUnavailable, int desired) {
        int surge = scaledValue(maxSurge, desired, true);
        int unavailable = scaledValue(maxUnavailable, desired, false);
        if (surge == 0 && unavailable == 0) {
            unavailable = 1;
        }
        return new Fenceposts(surge, unavailable);
    }

    public static boolean isRollingUpdate(Deployment d) {
        return d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getType() == null
                || "RollingUpdate".equals(d.getSpec().getStrategy().getType());
    }

    public static int replicas(Deployment d) {
        return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    private static IntOrString surgeParam(Deployment d) {
        var strategy = d.getSpec().getStrategy();
        return strategy == null || strategy.getRollingUpdate() == null
                || strategy.getRollingUpdate().getMaxSurge() == null ? Defaults.PERCENT_25
                : strategy.getRollingUpdate().getMaxSurge();
    }

    private static IntOrString unavailableParam(Deployment d) {
        var strategy = d.getSpec().getStrategy();
        return strategy == null || strategy.getRollingUpdate() == null
                || strategy.getRollingUpdate().getMaxUnavailable() == null ? Defaults.PERCENT_25
                : strategy.getRollingUpdate().getMaxUnavailable();
    }

    /** The pods a rolling update may run above spec.replicas (0 for Recreate). */
    public static int maxSurge(Deployment d) {
        if (!isRollingUpdate(d)) {
            return 0;
        }
        return resolveFenceposts(surgeParam(d), unavailableParam(d), replicas(d)).maxSurge();
    }

    /** The pods a rolling update may have unavailable, at most spec.replicas (0 for Recreate or no replicas). */
    public static int maxUnavailable(Deployment d) {
        int replicas = replicas(d);
        if (!isRollingUpdate(d) || replicas == 0) {
            return 0;
        }
        return Math.min(resolveFenceposts(surgeParam(d), unavailableParam(d), replicas).maxUnavailable(), replicas);
    }

    /** The size the new ReplicaSet may grow to now (NewRSNewReplicas). */
    public static int newReplicaSetReplicas(Deployment d, List<ReplicaSet> all, ReplicaSet newRS) {
        int replicas = replicas(d);
        if (!isRollingUpdate(d)) {
            return replicas;
        }
        int maxTotal = replicas + scaledValue(surgeParam(d), replicas, true);
        // Upstream sums spec.replicas; pods an old ReplicaSet has not yet deleted count too, so that a lagging
        // replicaset controller cannot let the pods exceed replicas + maxSurge.
        int current = all.stream().filter(java.util.Objects::nonNull).mapToInt(ReplicaSets::podsOf).sum();
        if (current >= maxTotal) {
            return ReplicaSets.replicas(newRS);
        }
        int scaleUp = Math.min(maxTotal - current, replicas - ReplicaSets.replicas(newRS));
        return ReplicaSets.replicas(newRS) + scaleUp;
    }

    /**
     * How many old pods a rolling update may remove now, keeping spec.replicas - maxUnavailable available even if
     * the new ReplicaSet's unavailable pods never come up.
     */
    public static int maxScaledDown(Deployment d, List<ReplicaSet> all, ReplicaSet newRS) {
        int minAvailable = replicas(d) - maxUnavailable(d);
        int newUnavailable = ReplicaSets.replicas(newRS) - ReplicaSets.available(newRS);
        return ReplicaSets.totalReplicas(all) - minAvailable - newUnavailable;
    }

    /**
     * First shrink old ReplicaSets by their unavailable pods, oldest first, up to {@code maxCleanup}
     * (cleanupUnhealthyReplicas): removing pods that serve nothing never lowers availability. A ReplicaSet whose
     * status reports at least spec.replicas available has none to remove: that status is from before a scale-down
     * its controller has yet to carry out, and sizing the set to it would scale an old ReplicaSet up, past
     * maxSurge (upstream refuses such a "scale down" with an error).
     */
    public static List<Scale> cleanupUnhealthy(List<ReplicaSet> oldSets, int maxCleanup) {
        List<ReplicaSet> sorted = new ArrayList<>(oldSets);
        sorted.sort(ReplicaSets.OLDEST_FIRST);
        List<Scale> plan = new ArrayList<>();
        int total = 0;
        for (ReplicaSet rs : sorted) {
            if (total >= maxCleanup) {
                break;
            }
            int replicas = ReplicaSets.replicas(rs);
            int available = ReplicaSets.available(rs);
            if (replicas == 0 || available >= replicas) {
                continue;
            }
            int down = Math.min(maxCleanup - total, replicas - available);
            plan.add(new Scale(rs, replicas - down));
            total += down;
        }
        return plan;
    }

    /** Then shrink old ReplicaSets, oldest first, by what availability above the minimum allows. */
    public static List<Scale> scaleDownOld(Deployment d, List<ReplicaSet> all, List<ReplicaSet> oldSets) {
        int minAvailable = replicas(d) - maxUnavailable(d);
        // Upstream sums status.availableReplicas; a ReplicaSet scaled down whose pods are not yet deleted would
        // count them as available although they are about to go.
        int available = all.stream().filter(java.util.Objects::nonNull).mapToInt(ReplicaSets::availableAfterScale)
                .sum();
        if (available <= minAvailable) {
            return List.of();
        }
        List<ReplicaSet> sorted = new ArrayList<>(oldSets);
        sorted.sort(ReplicaSets.OLDEST_FIRST);
        int budget = available - minAvailable;
        int total = 0;
        List<Scale> plan = new ArrayList<>();
        for (ReplicaSet rs : sorted) {
            if (total >= budget) {
                break;
            }
            int replicas = ReplicaSets.replicas(rs);
            if (replicas == 0) {
                continue;
            }
            int down = Math.min(replicas, budget - total);
            plan.add(new Scale(rs, replicas - down));
            total += down;
        }
        return plan;
    }

    /**
     * A resize of the deployment (spec.replicas changed while ReplicaSets still carry the old desired-replicas):
     * one active ReplicaSet (or none: the newest) takes it all; a saturated new ReplicaSet empties the old ones; and
     * otherwise, for a rolling update, the difference is spread over the active ReplicaSets in proportion to their
     * sizes, the rounding leftover going to the largest.
     */
    public static List<Scale> proportionalScale(Deployment d, ReplicaSet newRS, List<ReplicaSet> oldSets) {
        int replicas = replicas(d);
        ReplicaSet only = activeOrLatest(newRS, oldSets);
        if (only != null) {
            return ReplicaSets.replicas(only) == replicas ? List.of() : List.of(new Scale(only, replicas));
        }
        if (isSaturated(d, newRS)) {
            return ReplicaSets.active(oldSets).stream().map(rs -> new Scale(rs, 0)).toList();
        }
        if (!isRollingUpdate(d)) {
            return List.of();
        }
        List<ReplicaSet> all = new ArrayList<>(oldSets);
        all.add(newRS);
        List<ReplicaSet> active = new ArrayList<>(ReplicaSets.active(all));
        int allowed = replicas > 0 ? replicas + maxSurge(d) : 0;
        int toAdd = allowed - ReplicaSets.totalReplicas(active);
        if (toAdd > 0) {
            active.sort(ReplicaSets.LARGER_THEN_NEWER);
        } else if (toAdd < 0) {
            active.sort(ReplicaSets.LARGER_THEN_OLDER);
        }
        Map<String, Integer> sizes = new HashMap<>();
        int added = 0;
        for (ReplicaSet rs : active) {
            int proportion = toAdd == 0 ? 0 : proportion(rs, d, toAdd, added);
            sizes.put(rs.getMetadata().getName(), ReplicaSets.replicas(rs) + proportion);
            added += proportion;
        }
        List<Scale> plan = new ArrayList<>();
        for (int i = 0; i < active.size(); i++) {
            ReplicaSet rs = active.get(i);
            int size = sizes.get(rs.getMetadata().getName());
            if (i == 0 && toAdd != 0) {
                size = Math.max(0, size + toAdd - added);
            }
            plan.add(new Scale(rs, size));
        }
        return plan;
    }

    /** The only active ReplicaSet, or with none active the new one (else the newest old one); null with several. */
    static ReplicaSet activeOrLatest(ReplicaSet newRS, List<ReplicaSet> oldSets) {
        if (newRS == null && oldSets.isEmpty()) {
            return null;
        }
        List<ReplicaSet> newestFirst = new ArrayList<>(oldSets);
        newestFirst.sort(ReplicaSets.OLDEST_FIRST.reversed());
        List<ReplicaSet> all = new ArrayList<>(newestFirst);
        all.add(newRS);
        List<ReplicaSet> active = ReplicaSets.active(all);
        return switch (active.size()) {
            case 0 -> newRS != null ? newRS : newestFirst.getFirst();
            case 1 -> active.getFirst();
            default -> null;
        };
    }

    /** The new ReplicaSet has all replicas, was sized for this spec.replicas, and all are available. */
    public static boolean isSaturated(Deployment d, ReplicaSet rs) {
        if (rs == null) {
            return false;
        }
        Integer desired = Revisions.intAnnotation(rs, Revisions.DESIRED_REPLICAS);
        int replicas = replicas(d);
        return desired != null && ReplicaSets.replicas(rs) == replicas && desired == replicas
                && ReplicaSets.available(rs) == replicas;
    }

    /** A ReplicaSet's share of {@code toAdd}, bounded by what is left (getProportion). */
    static int proportion(ReplicaSet rs, Deployment d, int toAdd, int added) {
        if (rs == null || ReplicaSets.replicas(rs) == 0 || toAdd == 0 || toAdd == added) {
            return 0;
        }
        int fraction = fraction(rs, d);
        int allowed = toAdd - added;
        return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
    }

    /** Its size scaled from the deployment size it was sized for (max-replicas) to the current one, minus its size. */
    static int fraction(ReplicaSet rs, Deployment d) {
        int replicas = ReplicaSets.replicas(rs);
        if (replicas(d) == 0) {
            return -replicas;
        }
        int deploymentReplicas = replicas(d) + maxSurge(d);
        Integer annotated = Revisions.intAnnotation(rs, Revisions.MAX_REPLICAS);
        int base = annotated != null ? annotated
                : d.getStatus() == null || d.getStatus().getReplicas() == null ? 0 : d.getStatus().getReplicas();
        if (base == 0) {
            return 0; // upstream never gets here: a ReplicaSet is never scaled proportionally up from zero
        }
        double size = (double) replicas * deploymentReplicas / base;
        return roundHalfAwayFromZero(size) - replicas;
    }

    /** Go's math.Round. */
    static int roundHalfAwayFromZero(double value) {
        return (int) (value < 0 ? -Math.round(-value) : Math.round(value));
    }

    /** Upstream's defaults for a RollingUpdate strategy the API server did not fill in. */
    static final class Defaults {
        static final IntOrString PERCENT_25 = new IntOrString("25%");

        private Defaults() {
        }
    }
}

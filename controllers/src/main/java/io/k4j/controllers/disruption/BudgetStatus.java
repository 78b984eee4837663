package io.k4j.controllers.disruption;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpec;
import io.k4j.controllers.api.Pods;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The numbers of a PodDisruptionBudget's status, by upstream's disruption controller rules.
 *
 * @param expectedPods       how many pods there should be
 * @param desiredHealthy     how many must stay healthy
 * @param currentHealthy     how many are ready, not being deleted and not just evicted
 * @param disruptionsAllowed how many more may be evicted now
 * @param disruptedPods      evictions not yet seen through (pod name to eviction time)
 * @param recheckAt          when the oldest of those expires, if any
 */
record BudgetStatus(int expectedPods, int desiredHealthy, int currentHealthy, int disruptionsAllowed,
        Map<String, String> disruptedPods, Optional<Instant> recheckAt) {

    /** How long an eviction recorded in disruptedPods waits for its pod to be deleted. */
    static final Duration DELETION_TIMEOUT = Duration.ofMinutes(2);

    /**
     * @param pods          the pods the budget selects
     * @param expectedScale the pods' controllers' replicas (used for maxUnavailable and percentages)
     * @param disrupted     the status's disruptedPods
     */
    static BudgetStatus compute(PodDisruptionBudgetSpec spec, Collection<Pod> pods, int expectedScale,
            Map<String, String> disrupted, Instant now) {
        int expected;
        int desired;
        if (spec.getMaxUnavailable() != null) {
            expected = expectedScale;
            desired = Math.max(0, expected - scaled(spec.getMaxUnavailable(), expected));
        } else if (spec.getMinAvailable() != null && spec.getMinAvailable().getStrVal() != null) {
            expected = expectedScale;
            desired = scaled(spec.getMinAvailable(), expected);
        } else {
            expected = pods.size();
            desired = spec.getMinAvailable() == null ? 0 : spec.getMinAvailable().getIntVal();
        }
        Map<String, String> stillDisrupted = new LinkedHashMap<>();
        Instant recheck = null;
        Map<String, Pod> byName = new LinkedHashMap<>();
        pods.forEach(pod -> byName.put(pod.getMetadata().getName(), pod));
        for (var entry : (disrupted == null ? Map.<String, String>of() : disrupted).entrySet()) {
            Pod pod = byName.get(entry.getKey());
            if (pod == null || pod.getMetadata().getDeletionTimestamp() != null) {
                continue; // the eviction went through
            }
            Instant expires = evictedAt(entry.getValue()).plus(DELETION_TIMEOUT);
            if (expires.isBefore(now)) {
                continue; // the pod was not deleted after all: it counts again
            }
            stillDisrupted.put(entry.getKey(), entry.getValue());
            recheck = recheck == null || expires.isBefore(recheck) ? expires : recheck;
        }
        int healthy = (int) pods.stream().filter(pod -> pod.getMetadata().getDeletionTimestamp() == null
                && !stillDisrupted.containsKey(pod.getMetadata().getName()) && Pods.isReady(pod)).count();
        int allowed = expected <= 0 ? 0 : Math.max(0, healthy - desired);
        return new BudgetStatus(expected, desired, healthy, allowed, stillDisrupted, Optional.ofNullable(recheck));
    }

    /** When an eviction was recorded; an unreadable time counts as long expired. */
    private static Instant evictedAt(String time) {
        try {
            return Instant.parse(time);
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    /** Upstream's GetScaledValueFromIntOrPercent, rounding percentages up. */
    static int scaled(IntOrString value, int total) {
        if (value.getStrVal() == null) {
            return value.getIntVal() == null ? 0 : value.getIntVal();
        }
        String text = value.getStrVal().trim();
        if (!text.endsWith("%")) {
            throw new IllegalArgumentException("invalid value for IntOrString: " + text);
        }
        int percent = Integer.parseInt(text.substring(0, text.length() - 1));
        return (int) Math.ceil(percent * (double) total / 100);
    }
}

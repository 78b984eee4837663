package io.k4j.controllers.tainteviction;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** When a pod must leave a node with NoExecute taints, by upstream's toleration rules. */
final class Tolerations {

    private Tolerations() {
    }

    /** Upstream's ToleratesTaint: key (empty with Exists matches all), operator, value and effect (empty: all). */
    static boolean tolerates(Toleration toleration, Taint taint) {
        String effect = toleration.getEffect();
        if (effect != null && !effect.isEmpty() && !effect.equals(taint.getEffect())) {
            return false;
        }
        String key = toleration.getKey();
        String operator = toleration.getOperator() == null || toleration.getOperator().isEmpty() ? "Equal"
                : toleration.getOperator();
        if (key == null || key.isEmpty()) {
            return "Exists".equals(operator);
        }
        if (!key.equals(taint.getKey())) {
            return false;
        }
        return switch (operator) {
            case "Exists" -> true;
            case "Equal" -> Objects.equals(blankToNull(toleration.getValue()), blankToNull(taint.getValue()));
            default -> false;
        };
    }

    /**
     * When the pod must be evicted from a node with these NoExecute taints, each counted from when it was added
     * ({@code added}): at once for a taint it does not tolerate, after the shortest tolerationSeconds of the
     * tolerations that match a taint, never (empty) when all match forever.
     */
    static Optional<Instant> evictionTime(Pod pod, List<Taint> noExecute, java.util.function.Function<Taint, Instant> added,
            Instant now) {
        List<Toleration> tolerations = pod.getSpec().getTolerations() == null ? List.of() : pod.getSpec().getTolerations();
        Instant due = null;
        for (Taint taint : noExecute) {
            List<Toleration> matching = tolerations.stream().filter(t -> tolerates(t, taint)).toList();
            if (matching.isEmpty()) {
                return Optional.of(now);
            }
            Long seconds = matching.stream().map(Toleration::getTolerationSeconds).filter(Objects::nonNull)
                    .min(Long::compare).orElse(null);
            if (seconds != null) {
                Instant taintDue = added.apply(taint).plusSeconds(Math.max(0, seconds));
                due = due == null || taintDue.isBefore(due) ? taintDue : due;
            }
        }
        return Optional.ofNullable(due);
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}

package io.k4j.controllers.tainteviction;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.k4j.controllers.api.Tolerations;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** When a pod must leave a node with NoExecute taints, by upstream's toleration rules. */
final class EvictionTimes {

    private EvictionTimes() {
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
            List<Toleration> matching = tolerations.stream().filter(t -> Tolerations.tolerates(t, taint)).toList();
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
}

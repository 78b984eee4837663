package io.k4j.controllers.tainteviction;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.k4j.controllers.api.Tolerations;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvictionTimesTest {

    static final Instant ADDED = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant NOW = ADDED.plusSeconds(1);
    static final Taint UNREACHABLE = new TaintBuilder().withKey("node.kubernetes.io/unreachable").withEffect("NoExecute")
            .build();
    static final Taint DEDICATED = new TaintBuilder().withKey("dedicated").withValue("db").withEffect("NoExecute").build();

    @Test
    void matchingFollowsKeyOperatorValueAndEffect() {
        assertThat(Tolerations.tolerates(toleration("dedicated", "Equal", "db", "NoExecute", null), DEDICATED)).isTrue();
        assertThat(Tolerations.tolerates(toleration("dedicated", "Equal", "web", "NoExecute", null), DEDICATED)).isFalse();
        assertThat(Tolerations.tolerates(toleration("dedicated", "Exists", null, null, null), DEDICATED)).isTrue();
        assertThat(Tolerations.tolerates(toleration("dedicated", "Exists", null, "NoSchedule", null), DEDICATED)).isFalse();
        assertThat(Tolerations.tolerates(toleration(null, "Exists", null, null, null), DEDICATED)).isTrue();
        assertThat(Tolerations.tolerates(toleration(null, "Equal", null, null, null), DEDICATED)).isFalse();
    }

    @Test
    void anUntoleratedTaintEvictsAtOnce() {
        assertThat(EvictionTimes.evictionTime(pod(), List.of(DEDICATED), t -> ADDED, NOW)).contains(NOW);
    }

    @Test
    void theShortestTolerationSecondsCountFromWhenTheTaintWasAdded() {
        Pod pod = pod(toleration("node.kubernetes.io/unreachable", "Exists", null, "NoExecute", 300L),
                toleration(null, "Exists", null, null, 2L));
        assertThat(EvictionTimes.evictionTime(pod, List.of(UNREACHABLE), t -> ADDED, NOW)).contains(ADDED.plusSeconds(2));
    }

    @Test
    void aTolerationWithoutSecondsKeepsThePodForever() {
        Pod pod = pod(toleration("node.kubernetes.io/unreachable", "Exists", null, "NoExecute", null));
        assertThat(EvictionTimes.evictionTime(pod, List.of(UNREACHABLE), t -> ADDED, NOW)).isEmpty();
    }

    @Test
    void negativeSecondsMeanAtOnce() {
        Pod pod = pod(toleration("node.kubernetes.io/unreachable", "Exists", null, "NoExecute", -5L));
        assertThat(EvictionTimes.evictionTime(pod, List.of(UNREACHABLE), t -> ADDED, NOW)).contains(ADDED);
    }

    private static Toleration toleration(String key, String operator, String value, String effect, Long seconds) {
        return new TolerationBuilder().withKey(key).withOperator(operator).withValue(value).withEffect(effect)
                .withTolerationSeconds(seconds).build();
    }

    private static Pod pod(Toleration... tolerations) {
        return new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec()
                .withTolerations(tolerations).endSpec().build();
    }
}

package io.k4j.controllers.disruption;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpecBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BudgetStatusTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");

    @Test
    void minAvailableAsANumberCountsTheSelectedPods() {
        var status = BudgetStatus.compute(spec(new IntOrString(2), null), readyPods(3), 10, Map.of(), NOW);
        assertThat(status).isEqualTo(new BudgetStatus(3, 2, 3, 1, Map.of(), java.util.Optional.empty()));
    }

    @Test
    void percentagesScaleTheControllersReplicasRoundingUp() {
        var min = BudgetStatus.compute(spec(new IntOrString("50%"), null), readyPods(5), 5, Map.of(), NOW);
        assertThat(min.expectedPods()).isEqualTo(5);
        assertThat(min.desiredHealthy()).isEqualTo(3);
        assertThat(min.disruptionsAllowed()).isEqualTo(2);
        var max = BudgetStatus.compute(spec(null, new IntOrString("30%")), readyPods(4), 5, Map.of(), NOW);
        assertThat(max.desiredHealthy()).isEqualTo(3); // 5 - ceil(1.5)
        assertThat(max.disruptionsAllowed()).isEqualTo(1);
    }

    @Test
    void maxUnavailableAsANumberAndNothingAllowedWhenNoPodsAreExpected() {
        var status = BudgetStatus.compute(spec(null, new IntOrString(1)), readyPods(3), 3, Map.of(), NOW);
        assertThat(status.desiredHealthy()).isEqualTo(2);
        assertThat(status.disruptionsAllowed()).isEqualTo(1);
        var empty = BudgetStatus.compute(spec(null, new IntOrString(1)), List.of(), 0, Map.of(), NOW);
        assertThat(empty.disruptionsAllowed()).isZero();
    }

    @Test
    void recentEvictionsDoNotCountAsHealthyUntilTheyExpire() {
        var recent = BudgetStatus.compute(spec(new IntOrString(1), null), readyPods(3), 3,
                Map.of("pod-0", "2026-01-01T00:09:00Z", "gone", "2026-01-01T00:09:00Z"), NOW);
        assertThat(recent.currentHealthy()).isEqualTo(2);
        assertThat(recent.disruptedPods()).containsOnlyKeys("pod-0");
        assertThat(recent.recheckAt()).contains(Instant.parse("2026-01-01T00:11:00Z"));
        var expired = BudgetStatus.compute(spec(new IntOrString(1), null), readyPods(3), 3,
                Map.of("pod-0", "2026-01-01T00:07:00Z"), NOW);
        assertThat(expired.currentHealthy()).isEqualTo(3);
        assertThat(expired.disruptedPods()).isEmpty();
    }

    private static PodDisruptionBudgetSpec spec(IntOrString minAvailable, IntOrString maxUnavailable) {
        return new PodDisruptionBudgetSpecBuilder().withMinAvailable(minAvailable).withMaxUnavailable(maxUnavailable)
                .build();
    }

    private static List<Pod> readyPods(int count) {
        return IntStream.range(0, count).mapToObj(i -> new PodBuilder().withNewMetadata().withName("pod-" + i)
                .endMetadata().withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus().build()).toList();
    }
}

package io.k4j.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaStatusesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:01:00Z");
    private static final PodTemplateSpec TEMPLATE = new PodTemplateSpecBuilder().withNewMetadata()
            .withLabels(Map.of("app", "web", "tier", "front")).endMetadata().build();
    private static final ReplicaStatus EMPTY = new ReplicaStatus(0, 0, 0, 0, 0, List.of());

    private static Pod pod(Map<String, String> labels, Instant readySince) {
        var builder = new PodBuilder().withNewMetadata().withLabels(labels).endMetadata().withNewStatus();
        if (readySince != null) {
            builder = builder.addNewCondition().withType("Ready").withStatus("True")
                    .withLastTransitionTime(readySince.toString()).endCondition();
        }
        return builder.endStatus().build();
    }

    @Test
    void countsFullyLabeledReadyAndAvailablePods() {
        List<Pod> pods = List.of(pod(Map.of("app", "web", "tier", "front"), NOW.minusSeconds(30)),
                pod(Map.of("app", "web"), NOW.minusSeconds(5)), pod(Map.of("app", "web", "tier", "front"), null));
        ReplicaStatus status = ReplicaStatuses.calculate(EMPTY, pods, TEMPLATE, 10, 4L, null, 0, NOW);
        assertThat(status).isEqualTo(new ReplicaStatus(3, 2, 2, 1, 4, List.of()));
        assertThat(ReplicaStatuses.untilNextAvailable(pods, 10, NOW)).contains(Duration.ofSeconds(5));
        assertThat(ReplicaStatuses.untilNextAvailable(pods, 0, NOW)).isEmpty();
    }

    @Test
    void aFailedCreateSetsReplicaFailureUntilASyncSucceeds() {
        ReplicaStatus failed = ReplicaStatuses.calculate(EMPTY, List.of(), TEMPLATE, 0, 1L, "quota exceeded", -2, NOW);
        ReplicaStatus.Condition condition = failed.condition(ReplicaStatus.REPLICA_FAILURE);
        assertThat(condition).isEqualTo(new ReplicaStatus.Condition("ReplicaFailure", "True",
                "2026-01-01T00:01:00Z", "FailedCreate", "quota exceeded"));
        // Failing again keeps the first condition; succeeding removes it.
        assertThat(ReplicaStatuses.calculate(failed, List.of(), TEMPLATE, 0, 1L, "again", -2, NOW.plusSeconds(9))
                .condition(ReplicaStatus.REPLICA_FAILURE)).isEqualTo(condition);
        assertThat(ReplicaStatuses.calculate(failed, List.of(), TEMPLATE, 0, 1L, null, 0, NOW).conditions()).isEmpty();
        assertThat(ReplicaStatuses.calculate(EMPTY, List.of(), TEMPLATE, 0, 1L, "no", 1, NOW)
                .condition(ReplicaStatus.REPLICA_FAILURE).reason()).isEqualTo("FailedDelete");
    }
}

package io.k4j.controllers.deployment;

import static io.k4j.controllers.deployment.Fixtures.rolling;
import static io.k4j.controllers.deployment.Fixtures.rs;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeploymentStatusesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Deployment withProgressing(Deployment d, String reason, Instant updated, int updatedReplicas,
            int available) {
        DeploymentStatus status = new DeploymentStatus();
        status.setReplicas(4);
        status.setUpdatedReplicas(updatedReplicas);
        status.setAvailableReplicas(available);
        status.setReadyReplicas(available);
        DeploymentStatuses.set(status, DeploymentStatuses.condition(DeploymentStatuses.PROGRESSING, "True", reason,
                "x", updated));
        d.setStatus(status);
        return d;
    }

    private static DeploymentCondition progressing(DeploymentStatus status) {
        return DeploymentStatuses.get(status, DeploymentStatuses.PROGRESSING);
    }

    @Test
    void aCompleteRolloutReportsTheNewReplicaSetAvailable() {
        Deployment d = withProgressing(rolling(3, "1", "0"), DeploymentStatuses.RS_UPDATED, T0, 2, 2);
        ReplicaSet fresh = rs("web-abc", 3, 3, 2);
        DeploymentStatus status = DeploymentStatuses.rollout(List.of(fresh, rs("web-old", 0, 0, 1)), fresh, d,
                T0.plusSeconds(5));
        assertThat(status.getReplicas()).isEqualTo(3);
        assertThat(status.getUpdatedReplicas()).isEqualTo(3);
        assertThat(status.getAvailableReplicas()).isEqualTo(3);
        assertThat(status.getUnavailableReplicas()).isZero();
        assertThat(status.getObservedGeneration()).isEqualTo(1L);
        DeploymentCondition condition = progressing(status);
        assertThat(condition.getReason()).isEqualTo(DeploymentStatuses.NEW_RS_AVAILABLE);
        assertThat(condition.getMessage()).isEqualTo("ReplicaSet \"web-abc\" has successfully progressed.");
        assertThat(condition.getLastTransitionTime()).isEqualTo(T0.toString());
        DeploymentCondition available = DeploymentStatuses.get(status, DeploymentStatuses.AVAILABLE);
        assertThat(available.getStatus()).isEqualTo("True");
        assertThat(available.getReason()).isEqualTo("MinimumReplicasAvailable");
        assertThat(available.getMessage()).isEqualTo("Deployment has minimum availability.");
    }

    @Test
    void progressMovesTheUpdateTimeButNotTheTransitionTime() {
        Deployment d = withProgressing(rolling(4, "1", "0"), DeploymentStatuses.RS_UPDATED, T0, 1, 3);
        ReplicaSet fresh = rs("web-abc", 2, 1, 2);
        ReplicaSet old = rs("web-old", 3, 3, 1);
        DeploymentStatus status = DeploymentStatuses.rollout(List.of(old, fresh), fresh, d, T0.plusSeconds(30));
        DeploymentCondition condition = progressing(status);
        assertThat(condition.getMessage()).isEqualTo("ReplicaSet \"web-abc\" is progressing.");
        assertThat(condition.getLastUpdateTime()).isEqualTo(T0.plusSeconds(30).toString());
        assertThat(condition.getLastTransitionTime()).isEqualTo(T0.toString());
    }

    @Test
    void noProgressPastTheDeadlineTimesOut() {
        Deployment d = withProgressing(rolling(4, "1", "0"), DeploymentStatuses.RS_UPDATED, T0, 1, 3);
        // Same counts as the status already says: no progress.
        ReplicaSet fresh = rs("web-abc", 1, 0, 2);
        ReplicaSet old = rs("web-old", 3, 3, 1);
        List<ReplicaSet> all = List.of(old, fresh);
        DeploymentStatus before = DeploymentStatuses.rollout(all, fresh, d, T0.plusSeconds(500));
        assertThat(progressing(before).getReason()).isEqualTo(DeploymentStatuses.RS_UPDATED);
        assertThat(DeploymentStatuses.untilDeadline(d, before, T0.plusSeconds(500)))
                .contains(Duration.ofSeconds(100));
        DeploymentStatus after = DeploymentStatuses.rollout(all, fresh, d, T0.plusSeconds(601));
        DeploymentCondition condition = progressing(after);
        assertThat(condition.getStatus()).isEqualTo("False");
        assertThat(condition.getReason()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(condition.getMessage()).isEqualTo("ReplicaSet \"web-abc\" has timed out progressing.");
    }

    @Test
    void tooFewAvailableIsMinimumReplicasUnavailable() {
        Deployment d = rolling(4, "1", "1");
        DeploymentStatus status = DeploymentStatuses.calculate(List.of(rs("a", 4, 2, 1)), null, d, T0);
        DeploymentCondition available = DeploymentStatuses.get(status, DeploymentStatuses.AVAILABLE);
        assertThat(available.getStatus()).isEqualTo("False");
        assertThat(available.getReason()).isEqualTo("MinimumReplicasUnavailable");
        assertThat(status.getUnavailableReplicas()).isEqualTo(2);
    }
}

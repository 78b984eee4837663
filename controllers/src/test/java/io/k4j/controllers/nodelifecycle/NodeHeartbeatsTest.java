package io.k4j.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.k4j.client.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The node health state machine's pure parts, on a clock moved by hand. */
class NodeHeartbeatsTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final NodeHeartbeats heartbeats = new NodeHeartbeats();

    @Test
    void aNodeIsAliveWhenFirstSeenAndWhenItsLeaseOrHeartbeatMoves() {
        Node node = node("2026-01-01T00:00:00Z");
        assertThat(heartbeats.observe(node, lease(0), clock.instant())).isEqualTo(clock.instant());
        clock.advance(Duration.ofSeconds(30));
        assertThat(heartbeats.observe(node, lease(0), clock.instant())).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(heartbeats.observe(node, lease(25), clock.instant())).isEqualTo(clock.instant());
        clock.advance(Duration.ofSeconds(30));
        assertThat(heartbeats.observe(node("2026-01-01T00:00:55Z"), lease(25), clock.instant()))
                .isEqualTo(clock.instant());
        clock.advance(Duration.ofSeconds(30));
        assertThat(heartbeats.observe(node("2026-01-01T00:00:55Z"), lease(20), clock.instant()))
                .as("a lease going back in time is no sign of life").isEqualTo(clock.instant().minusSeconds(30));
    }

    @Test
    void aNodeThatNeverReportedCountsFromItsCreation() {
        Node node = new NodeBuilder().withNewMetadata().withName("n").withCreationTimestamp("2025-12-31T23:59:50Z")
                .endMetadata().build();
        assertThat(heartbeats.observe(node, null, clock.instant())).isEqualTo(Instant.parse("2025-12-31T23:59:50Z"));
    }

    @Test
    void unknownConditionsKeepTheirHeartbeatAndAreMarkedOnce() {
        var conditions = NodeConditions.markedUnknown(node("2026-01-01T00:00:00Z"), clock.instant().plusSeconds(41));
        assertThat(conditions).hasSize(4).filteredOn(c -> c.getType().equals("Ready")).singleElement().satisfies(ready -> {
            assertThat(ready.getStatus()).isEqualTo("Unknown");
            assertThat(ready.getLastHeartbeatTime()).isEqualTo("2026-01-01T00:00:00Z");
            assertThat(ready.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:41Z");
        });
        assertThat(conditions).filteredOn(c -> c.getType().equals("PIDPressure")).singleElement()
                .satisfies(pid -> assertThat(pid.getReason()).isEqualTo("NodeStatusNeverUpdated"));
        Node marked = new NodeBuilder(node("2026-01-01T00:00:00Z")).editStatus().withConditions(conditions).endStatus()
                .build();
        assertThat(NodeConditions.markedUnknown(marked, clock.instant())).isNull();
    }

    @Test
    void notReadyNodesGetTheNotReadyTaintsAndRecoveredOnesLoseThemKeepingOthers() {
        Node notReady = new NodeBuilder(node("2026-01-01T00:00:00Z")).editStatus().editFirstCondition()
                .withStatus("False").endCondition().endStatus().editSpec().addToTaints(new TaintBuilder()
                        .withKey("dedicated").withValue("db").withEffect("NoSchedule").build()).endSpec().build();
        var taints = NodeTaints.reconciled(notReady, true, clock.instant());
        assertThat(taints).extracting(t -> t.getKey() + ":" + t.getEffect()).containsExactly("dedicated:NoSchedule",
                "node.kubernetes.io/not-ready:NoSchedule", "node.kubernetes.io/not-ready:NoExecute");
        Node recovered = new NodeBuilder(node("2026-01-01T00:00:00Z")).editSpec().withTaints(taints).endSpec().build();
        assertThat(NodeTaints.reconciled(recovered, true, clock.instant()))
                .extracting(t -> t.getKey() + ":" + t.getEffect()).containsExactly("dedicated:NoSchedule");
        assertThat(NodeTaints.reconciled(node("2026-01-01T00:00:00Z"), true, clock.instant())).isNull();
    }

    private static Node node(String heartbeat) {
        return new NodeBuilder().withNewMetadata().withName("n").withCreationTimestamp("2025-12-31T00:00:00Z")
                .endMetadata().withNewSpec().endSpec().withNewStatus().addNewCondition().withType("Ready")
                .withStatus("True").withLastHeartbeatTime(heartbeat).withLastTransitionTime("2025-12-31T00:00:00Z")
                .endCondition().endStatus().build();
    }

    private static Lease lease(int second) {
        return new LeaseBuilder().withNewSpec().withRenewTime(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(second)
                .atZone(ZoneOffset.UTC)).endSpec().build();
    }
}

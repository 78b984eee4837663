package io.k4j.controllers.deployment;

import static io.k4j.controllers.deployment.Fixtures.rolling;
import static io.k4j.controllers.deployment.Fixtures.rs;
import static io.k4j.controllers.deployment.Fixtures.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RolloutMathTest {

    private static Map<String, Integer> sizes(List<RolloutMath.Scale> plan) {
        return plan.stream().collect(Collectors.toMap(s -> s.replicaSet().getMetadata().getName(),
                RolloutMath.Scale::replicas));
    }

    @Test
    void percentagesRoundUpForSurgeAndDownForUnavailable() {
        assertThat(RolloutMath.scaledValue(value("25%"), 10, true)).isEqualTo(3);
        assertThat(RolloutMath.scaledValue(value("25%"), 10, false)).isEqualTo(2);
        assertThat(RolloutMath.scaledValue(value("33%"), 3, true)).isEqualTo(1);
        assertThat(RolloutMath.scaledValue(value("33%"), 3, false)).isZero();
        assertThat(RolloutMath.scaledValue(value("4"), 10, false)).isEqualTo(4);
        assertThatThrownBy(() -> RolloutMath.scaledValue(new io.fabric8.kubernetes.api.model.IntOrString("x"), 1, true))
                .hasMessageContaining("not a percentage");
    }

    @Test
    void fencepostsThatBothRoundToZeroLetOnePodBeUnavailable() {
        assertThat(RolloutMath.resolveFenceposts(value("0%"), value("10%"), 5))
                .isEqualTo(new RolloutMath.Fenceposts(0, 1));
        assertThat(RolloutMath.resolveFenceposts(value("25%"), value("25%"), 1))
                .isEqualTo(new RolloutMath.Fenceposts(1, 0));
        assertThat(RolloutMath.resolveFenceposts(value("25%"), value("25%"), 4))
                .isEqualTo(new RolloutMath.Fenceposts(1, 1));
    }

    @Test
    void maxUnavailableIsCappedAtReplicasAndZeroForRecreate() {
        assertThat(RolloutMath.maxUnavailable(rolling(3, "1", "5"))).isEqualTo(3);
        assertThat(RolloutMath.maxUnavailable(rolling(0, "1", "5"))).isZero();
        assertThat(RolloutMath.maxUnavailable(Fixtures.recreate(3))).isZero();
        assertThat(RolloutMath.maxSurge(Fixtures.recreate(3))).isZero();
        assertThat(RolloutMath.maxSurge(rolling(10, "25%", "25%"))).isEqualTo(3);
    }

    @Test
    void theNewReplicaSetGrowsUpToReplicasPlusSurge() {
        var d = rolling(10, "25%", "25%");
        ReplicaSet old = rs("old", 10, 10, 1);
        ReplicaSet fresh = rs("new", 0, 0, 2);
        assertThat(RolloutMath.newReplicaSetReplicas(d, List.of(old, fresh), fresh)).isEqualTo(3);
        ReplicaSet grown = rs("new", 3, 0, 2);
        assertThat(RolloutMath.newReplicaSetReplicas(d, List.of(old, grown), grown)).isEqualTo(3);
        ReplicaSet shrunk = rs("old", 2, 2, 1);
        ReplicaSet almost = rs("new", 9, 9, 2);
        assertThat(RolloutMath.newReplicaSetReplicas(d, List.of(shrunk, almost), almost)).isEqualTo(10);
        assertThat(RolloutMath.newReplicaSetReplicas(Fixtures.recreate(4), List.of(fresh), fresh)).isEqualTo(4);
    }

    @Test
    void oldPodsGoOnlyAsFarAsAvailabilityAllows() {
        var d = rolling(10, "25%", "25%"); // surge 3, unavailable 2
        ReplicaSet old = rs("old", 10, 10, 1);
        ReplicaSet fresh = rs("new", 3, 0, 2);
        assertThat(RolloutMath.maxScaledDown(d, List.of(old, fresh), fresh)).isEqualTo(2);
        assertThat(sizes(RolloutMath.scaleDownOld(d, List.of(old, fresh), List.of(old)))).isEqualTo(Map.of("old", 8));
        ReplicaSet freshUp = rs("new", 3, 3, 2);
        assertThat(RolloutMath.maxScaledDown(d, List.of(old, freshUp), freshUp)).isEqualTo(5);
        assertThat(RolloutMath.scaleDownOld(d, List.of(rs("old", 8, 8, 1), fresh), List.of(rs("old", 8, 8, 1))))
                .isEmpty();
    }

    @Test
    void podsAScaleDownHasNotYetRemovedStillCount() {
        var d = rolling(10, "25%", "25%"); // surge 3, unavailable 2
        // The old set was shrunk to 8 but its controller has not deleted the two pods yet: they still count as pods
        // (no room to surge) and not as available (no further scale-down on their account).
        ReplicaSet lagging = new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder(rs("old", 8, 10, 1))
                .editStatus().withReplicas(10).endStatus().build();
        ReplicaSet fresh = rs("new", 3, 0, 2);
        assertThat(RolloutMath.newReplicaSetReplicas(d, List.of(lagging, fresh), fresh)).isEqualTo(3);
        assertThat(RolloutMath.scaleDownOld(d, List.of(lagging, fresh), List.of(lagging))).isEmpty();
    }

    @Test
    void unhealthyOldPodsAreRemovedFirstOldestReplicaSetFirst() {
        ReplicaSet older = rs("a", 5, 3, 1);
        ReplicaSet newer = rs("b", 4, 1, 2);
        ReplicaSet healthy = rs("c", 4, 4, 0);
        assertThat(sizes(RolloutMath.cleanupUnhealthy(List.of(newer, healthy, older), 3)))
                .isEqualTo(Map.of("a", 3, "b", 3));
        assertThat(sizes(RolloutMath.cleanupUnhealthy(List.of(newer, older), 1))).isEqualTo(Map.of("a", 4));
    }

    @Test
    void anOldReplicaSetWhoseStatusLagsItsScaleDownIsNeverScaledUpAsACleanup() {
        // Scaled down to 2 while its status still counts the 5 available pods it had: nothing unhealthy to remove,
        // and "removing" -3 would scale it back up to 5.
        ReplicaSet lagging = new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder(rs("old", 2, 5, 1))
                .editStatus().withReplicas(5).endStatus().build();
        assertThat(RolloutMath.cleanupUnhealthy(List.of(lagging), 1)).isEmpty();
        assertThat(sizes(RolloutMath.cleanupUnhealthy(List.of(lagging, rs("b", 4, 1, 2)), 2)))
                .isEqualTo(Map.of("b", 2));
    }

    @Test
    void aResizeDuringARolloutIsSpreadInProportion() {
        // Sized for 10 replicas (max 13); now 20 (max 25): 12 more, 7 to the larger old set, 5 to the new one.
        Map<String, String> sizedFor10 = Map.of(Revisions.DESIRED_REPLICAS, "10", Revisions.MAX_REPLICAS, "13");
        ReplicaSet old = rs("old", 8, 8, 1, sizedFor10);
        ReplicaSet fresh = rs("new", 5, 0, 2, sizedFor10);
        assertThat(sizes(RolloutMath.proportionalScale(rolling(20, "25%", "25%"), fresh, List.of(old))))
                .isEqualTo(Map.of("old", 15, "new", 10));
        // Down to 5 (max 7): 6 fewer, 4 from the old set, 2 from the new one.
        assertThat(sizes(RolloutMath.proportionalScale(rolling(5, "25%", "25%"), fresh, List.of(old))))
                .isEqualTo(Map.of("old", 4, "new", 3));
    }

    @Test
    void aSingleActiveReplicaSetTakesTheWholeResize() {
        ReplicaSet fresh = rs("new", 3, 3, 2);
        ReplicaSet empty = rs("old", 0, 0, 1);
        assertThat(sizes(RolloutMath.proportionalScale(rolling(7, "25%", "25%"), fresh, List.of(empty))))
                .isEqualTo(Map.of("new", 7));
        assertThat(RolloutMath.proportionalScale(rolling(3, "25%", "25%"), fresh, List.of(empty))).isEmpty();
        // Nothing active: the newest old one when there is no new one.
        assertThat(sizes(RolloutMath.proportionalScale(rolling(2, "25%", "25%"), null,
                List.of(rs("older", 0, 0, 1), rs("newer", 0, 0, 3))))).isEqualTo(Map.of("newer", 2));
    }

    @Test
    void aSaturatedNewReplicaSetEmptiesTheOldOnes() {
        ReplicaSet fresh = rs("new", 4, 4, 2, Map.of(Revisions.DESIRED_REPLICAS, "4"));
        assertThat(RolloutMath.isSaturated(rolling(4, "1", "1"), fresh)).isTrue();
        assertThat(sizes(RolloutMath.proportionalScale(rolling(4, "1", "1"), fresh, List.of(rs("old", 2, 2, 1)))))
                .isEqualTo(Map.of("old", 0));
    }

    @Test
    void roundingIsGoStyleHalfAwayFromZero() {
        assertThat(RolloutMath.roundHalfAwayFromZero(2.5)).isEqualTo(3);
        assertThat(RolloutMath.roundHalfAwayFromZero(-2.5)).isEqualTo(-3);
        assertThat(RolloutMath.roundHalfAwayFromZero(-2.4)).isEqualTo(-2);
    }
}

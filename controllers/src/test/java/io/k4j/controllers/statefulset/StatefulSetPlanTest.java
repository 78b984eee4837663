package io.k4j.controllers.statefulset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.k4j.controllers.statefulset.StatefulSetPlan.Create;
import io.k4j.controllers.statefulset.StatefulSetPlan.Delete;
import io.k4j.controllers.statefulset.StatefulSetPlan.Plan;
import io.k4j.controllers.statefulset.StatefulSetPlan.Relabel;
import io.k4j.controllers.statefulset.StatefulSetPlan.Settings;
import io.k4j.controllers.statefulset.StatefulSetPlan.Why;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatefulSetPlanTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
    static final Settings ORDERED = new Settings(3, 0, false, true, 0, 0);
    static final Settings PARALLEL = new Settings(3, 0, true, true, 0, 0);

    /** A pod of set "web" at an ordinal and revision; ready means Running with Ready=True. */
    static Pod pod(int ordinal, String revision, boolean ready) {
        return new PodBuilder().withNewMetadata().withName("web-" + ordinal)
                .addToLabels(StatefulSetPods.identityLabels("web", ordinal))
                .addToLabels("controller-revision-hash", revision).endMetadata()
                .withNewStatus().withPhase(ready ? "Running" : "Pending")
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
                .withLastTransitionTime("2026-01-01T00:00:00Z").endCondition()
                .endStatus().build();
    }

    static Pod terminating(Pod pod) {
        return new PodBuilder(pod).editMetadata().withDeletionTimestamp("2026-01-01T00:09:00Z").endMetadata().build();
    }

    static Pod failed(Pod pod) {
        return new PodBuilder(pod).editStatus().withPhase("Failed").endStatus().build();
    }

    static Plan plan(Settings settings, Pod... pods) {
        return StatefulSetPlan.plan(settings, List.of(pods), "web", "web-r1", "web-r2", NOW);
    }

    @Test
    void orderedReadyCreatesTheLowestMissingOrdinalAndNothingElse() {
        assertThat(plan(ORDERED).actions()).containsExactly(new Create(0, false));
    }

    @Test
    void orderedReadyWaitsForEachPodToBeRunningAndReadyBeforeTheNext() {
        assertThat(plan(ORDERED, pod(0, "web-r2", false)).actions()).isEmpty();
        assertThat(plan(ORDERED, pod(0, "web-r2", true)).actions()).containsExactly(new Create(1, false));
        assertThat(plan(ORDERED, pod(0, "web-r2", true), pod(1, "web-r2", true)).actions())
                .containsExactly(new Create(2, false));
    }

    @Test
    void orderedReadyWaitsForMinReadySecondsOfAvailability() {
        Settings slow = new Settings(3, 0, false, true, 0, 900); // ready since 00:00, now 00:10
        assertThat(plan(slow, pod(0, "web-r2", true)).actions()).isEmpty();
        assertThat(plan(slow, pod(0, "web-r2", true)).counts().available()).isZero();
    }

    @Test
    void parallelCreatesEveryMissingPodAtOnce() {
        assertThat(plan(PARALLEL, pod(1, "web-r2", false)).actions())
                .containsExactly(new Create(0, false), new Create(2, false));
    }

    @Test
    void newPodsBelowThePartitionComeFromTheCurrentRevision() {
        Settings partitioned = new Settings(3, 0, true, true, 2, 0);
        assertThat(plan(partitioned).actions())
                .containsExactly(new Create(0, true), new Create(1, true), new Create(2, false));
    }

    @Test
    void scaleDownDeletesFromTheHighestOrdinalOneAtATime() {
        Settings one = new Settings(1, 0, false, true, 0, 0);
        Pod web0 = pod(0, "web-r2", true);
        Pod web1 = pod(1, "web-r2", true);
        Pod web2 = pod(2, "web-r2", true);

        assertThat(plan(one, web0, web1, web2).actions()).containsExactly(new Delete(web2, Why.CONDEMNED));
        assertThat(plan(one, web0, web1, terminating(web2)).actions()).isEmpty();
        assertThat(plan(one, web0, web1).actions()).containsExactly(new Delete(web1, Why.CONDEMNED));
    }

    @Test
    void parallelScaleDownDeletesEveryCondemnedPod() {
        Settings one = new Settings(1, 0, true, true, 0, 0);
        Pod web1 = pod(1, "web-r2", true);
        Pod web2 = pod(2, "web-r2", false);

        assertThat(plan(one, pod(0, "web-r2", true), web1, web2).actions())
                .containsExactly(new Delete(web2, Why.CONDEMNED), new Delete(web1, Why.CONDEMNED));
    }

    @Test
    void aFailedPodIsDeletedToBeRecreated() {
        Pod web0 = failed(pod(0, "web-r2", false));
        assertThat(plan(ORDERED, web0).actions()).containsExactly(new Delete(web0, Why.FAILED));
    }

    @Test
    void aRollingUpdateReplacesTheHighestOutdatedPodFirstOnceAllAreHealthy() {
        Pod web0 = pod(0, "web-r1", true);
        Pod web1 = pod(1, "web-r1", true);
        Pod web2 = pod(2, "web-r1", true);

        assertThat(plan(ORDERED, web0, web1, web2).actions()).containsExactly(new Delete(web2, Why.OUTDATED));
        // the replacement is not ready yet: wait
        assertThat(plan(ORDERED, web0, web1, pod(2, "web-r2", false)).actions()).isEmpty();
        assertThat(plan(ORDERED, web0, web1, pod(2, "web-r2", true)).actions())
                .containsExactly(new Delete(web1, Why.OUTDATED));
    }

    @Test
    void parallelRollingUpdatesStillGoOnePodAtATime() {
        Pod web0 = pod(0, "web-r1", true);
        Pod web1 = pod(1, "web-r1", true);

        assertThat(plan(PARALLEL, web0, web1, terminating(pod(2, "web-r1", true))).actions()).isEmpty();
    }

    @Test
    void aPartitionStopsTheRollingUpdateAtItsOrdinal() {
        Settings partitioned = new Settings(3, 0, false, true, 2, 0);
        Pod web0 = pod(0, "web-r1", true);
        Pod web1 = pod(1, "web-r1", true);

        assertThat(plan(partitioned, web0, web1, pod(2, "web-r1", true)).actions()).hasSize(1);
        assertThat(plan(partitioned, web0, web1, pod(2, "web-r2", true)).actions()).isEmpty();
    }

    @Test
    void onDeleteNeverDeletesOutdatedPods() {
        Settings onDelete = new Settings(3, 0, false, false, 0, 0);
        assertThat(plan(onDelete, pod(0, "web-r1", true), pod(1, "web-r1", true), pod(2, "web-r1", true)).actions())
                .isEmpty();
    }

    @Test
    void lostIdentityLabelsAreRestored() {
        Pod bare = new PodBuilder(pod(0, "web-r2", true)).editMetadata()
                .withLabels(java.util.Map.of("controller-revision-hash", "web-r2")).endMetadata().build();
        assertThat(plan(new Settings(1, 0, false, true, 0, 0), bare).actions()).containsExactly(new Relabel(bare));
    }

    @Test
    void startOrdinalShiftsTheNames() {
        Settings fromFive = new Settings(2, 5, true, true, 0, 0);
        assertThat(plan(fromFive, pod(0, "web-r2", true)).actions())
                .containsExactly(new Create(5, false), new Create(6, false), new Delete(pod(0, "web-r2", true), Why.CONDEMNED));
    }

    @Test
    void theCountsSeeEveryPodButOnlyLiveOnesForTheirRevision() {
        List<Pod> pods = new ArrayList<>(List.of(pod(0, "web-r1", true), pod(1, "web-r2", true),
                terminating(pod(2, "web-r2", false))));

        var counts = StatefulSetPlan.count(pods, 0, "web-r1", "web-r2", NOW);

        assertThat(counts).isEqualTo(new StatefulSetPlan.Counts(3, 2, 2, 1, 1));
    }
}

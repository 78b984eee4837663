package io.k4j.controllers.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.k4j.controllers.daemonset.DaemonSetPlan.Counts;
import io.k4j.controllers.daemonset.DaemonSetPlan.Plan;
import io.k4j.controllers.daemonset.DaemonSetPlan.Settings;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DaemonSetPlanTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
    static final PodSpec DAEMON = DaemonPods.withDaemonTolerations(
            new PodSpecBuilder().addNewContainer().withName("c").endContainer().build());
    static final Settings ONE_UNAVAILABLE = new Settings(true, new IntOrString(0), new IntOrString(1), 0);
    static final Settings ONE_SURGE = new Settings(true, new IntOrString(1), new IntOrString(0), 0);
    static final Settings ON_DELETE = new Settings(false, new IntOrString(0), new IntOrString(1), 0);

    static Node node(String name) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().build();
    }

    static Node noExecute(String name) {
        return new NodeBuilder(node(name)).withNewSpec()
                .withTaints(new TaintBuilder().withKey("gone").withEffect("NoExecute").build()).endSpec().build();
    }

    /** A daemon pod on a node, of a revision hash; created at minute {@code age} before now. */
    static Pod pod(String name, String node, String hash, boolean ready) {
        return new PodBuilder().withNewMetadata().withName(name).addToLabels("controller-revision-hash", hash)
                .withCreationTimestamp("2026-01-01T00:0" + name.length() + ":00Z").endMetadata()
                .withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase(ready ? "Running" : "Pending").addNewCondition().withType("Ready")
                .withStatus(ready ? "True" : "False").withLastTransitionTime("2026-01-01T00:00:00Z").endCondition()
                .endStatus().build();
    }

    static Plan plan(Settings settings, List<Node> nodes, Pod... pods) {
        return DaemonSetPlan.plan(settings, DAEMON, nodes, List.of(pods), "new", NOW);
    }

    @Test
    void everyEligibleNodeWithoutAPodGetsOne() {
        Plan plan = plan(ONE_UNAVAILABLE, List.of(node("a"), node("b"), noExecute("c")), pod("pa", "a", "new", true));

        assertThat(plan.createOn()).containsExactly("b");
        assertThat(plan.delete()).isEmpty();
        assertThat(plan.counts()).isEqualTo(new Counts(2, 1, 0, 1, 1, 1));
    }

    @Test
    void podsLeaveNodesThatNoLongerQualifyAndCountAsMisscheduledMeanwhile() {
        Pod evicted = pod("pc", "c", "new", true);

        Plan plan = plan(ONE_UNAVAILABLE, List.of(noExecute("c")), evicted);

        assertThat(plan.delete()).containsExactly(evicted);
        assertThat(plan.counts().misscheduled()).isEqualTo(1);
        assertThat(plan.counts().desired()).isZero();
    }

    @Test
    void aPodNotYetScheduledCountsForTheNodeItIsPinnedTo() {
        Pod pending = new PodBuilder(pod("pa", null, "new", false)).editSpec()
                .withAffinity(DaemonPods.pinnedTo(null, "a")).endSpec().build();

        Plan plan = plan(ONE_UNAVAILABLE, List.of(node("a")), pending);

        assertThat(plan.createOn()).isEmpty();
        assertThat(plan.counts()).isEqualTo(new Counts(1, 1, 0, 0, 1, 0));
    }

    @Test
    void failedPodsAreDeletedAndExtraPodsBeyondTheOldestToo() {
        Pod failed = new PodBuilder(pod("pa", "a", "new", false)).editStatus().withPhase("Failed").endStatus().build();
        Pod oldest = pod("pb", "b", "new", true);
        Pod extra = pod("pbb", "b", "new", true);

        Plan plan = plan(ONE_UNAVAILABLE, List.of(node("a"), node("b")), failed, oldest, extra);

        assertThat(plan.delete()).containsExactly(failed, extra);
        assertThat(plan.failed()).containsExactly(failed);
    }

    @Test
    void rollingUpdateDeletesOldPodsWithinMaxUnavailable() {
        List<Node> nodes = List.of(node("a"), node("b"), node("c"));
        Pod oldA = pod("pa", "a", "old", true);
        Pod oldB = pod("pb", "b", "old", true);
        Pod oldC = pod("pc", "c", "old", true);

        assertThat(plan(ONE_UNAVAILABLE, nodes, oldA, oldB, oldC).delete()).containsExactly(oldA);
        // a's pod is gone and its replacement not made yet: that node is unavailable
        Plan between = plan(ONE_UNAVAILABLE, nodes, oldB, oldC);
        assertThat(between.delete()).isEmpty();
        assertThat(between.createOn()).containsExactly("a");
        // a's replacement is not available yet: the budget is spent
        assertThat(plan(ONE_UNAVAILABLE, nodes, pod("pa", "a", "new", false), oldB, oldC).delete()).isEmpty();
        assertThat(plan(ONE_UNAVAILABLE, nodes, pod("pa", "a", "new", true), oldB, oldC).delete()).containsExactly(oldB);
        Settings two = new Settings(true, new IntOrString(0), new IntOrString("50%"), 0);
        assertThat(plan(two, nodes, oldA, oldB, oldC).delete()).containsExactly(oldA, oldB);
    }

    @Test
    void unavailableOldPodsAreReplacedRegardlessOfTheBudget() {
        List<Node> nodes = List.of(node("a"), node("b"));
        Pod brokenA = pod("pa", "a", "old", false);
        Pod brokenB = pod("pb", "b", "old", false);

        assertThat(plan(ONE_UNAVAILABLE, nodes, brokenA, brokenB).delete()).containsExactly(brokenA, brokenB);
    }

    @Test
    void surgeCreatesTheNewPodFirstThenDeletesTheOldOnceAvailable() {
        List<Node> nodes = List.of(node("a"), node("b"));
        Pod oldA = pod("pa", "a", "old", true);
        Pod oldB = pod("pb", "b", "old", true);

        Plan surge = plan(ONE_SURGE, nodes, oldA, oldB);
        assertThat(surge.createOn()).containsExactly("a");
        assertThat(surge.delete()).isEmpty();

        assertThat(plan(ONE_SURGE, nodes, oldA, pod("paa", "a", "new", false), oldB).createOn()).isEmpty();

        Plan swap = plan(ONE_SURGE, nodes, oldA, pod("paa", "a", "new", true), oldB);
        assertThat(swap.delete()).containsExactly(oldA);
        assertThat(swap.counts().updated()).isZero(); // the oldest pod on a is still the old one
    }

    @Test
    void onDeleteLeavesOldPodsAlone() {
        assertThat(plan(ON_DELETE, List.of(node("a")), pod("pa", "a", "old", true)).delete()).isEmpty();
    }

    @Test
    void percentagesRoundUp() {
        assertThat(DaemonSetPlan.scaled(new IntOrString("10%"), 3)).isEqualTo(1);
        assertThat(DaemonSetPlan.scaled(new IntOrString("50%"), 3)).isEqualTo(2);
        assertThat(DaemonSetPlan.scaled(new IntOrString(2), 3)).isEqualTo(2);
    }
}

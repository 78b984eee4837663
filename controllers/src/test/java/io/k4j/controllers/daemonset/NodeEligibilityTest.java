package io.k4j.controllers.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.k4j.controllers.daemonset.NodeEligibility.Verdict;
import org.junit.jupiter.api.Test;

class NodeEligibilityTest {

    static Node node(String name, String zone, Taint... taints) {
        return new NodeBuilder().withNewMetadata().withName(name).addToLabels("zone", zone).endMetadata()
                .withNewSpec().withTaints(taints).endSpec().build();
    }

    static Taint taint(String key, String effect) {
        return new io.fabric8.kubernetes.api.model.TaintBuilder().withKey(key).withEffect(effect).build();
    }

    static PodSpec daemon(PodSpec spec) {
        return DaemonPods.withDaemonTolerations(spec);
    }

    static final PodSpec PLAIN = daemon(new PodSpecBuilder().addNewContainer().withName("c").endContainer().build());
    static final Verdict RUN = new Verdict(true, true);
    static final Verdict NEITHER = new Verdict(false, false);

    @Test
    void aNodeSelectorAndRequiredAffinityMustMatch() {
        PodSpec selecting = daemon(new PodSpecBuilder(PLAIN).withNodeSelector(java.util.Map.of("zone", "a")).build());
        PodSpec affine = daemon(new PodSpecBuilder(PLAIN).withNewAffinity().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
                .addNewMatchExpression().withKey("zone").withOperator("NotIn").withValues("a").endMatchExpression()
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity().endAffinity().build());

        assertThat(NodeEligibility.of(selecting, node("n1", "a"))).isEqualTo(RUN);
        assertThat(NodeEligibility.of(selecting, node("n2", "b"))).isEqualTo(NEITHER);
        assertThat(NodeEligibility.of(affine, node("n1", "a"))).isEqualTo(NEITHER);
        assertThat(NodeEligibility.of(affine, node("n2", "b"))).isEqualTo(RUN);
    }

    @Test
    void untoleratedNoScheduleTaintsKeepNewPodsAwayButLetRunningOnesStay() {
        assertThat(NodeEligibility.of(PLAIN, node("n1", "a", taint("dedicated", "NoSchedule"))))
                .isEqualTo(new Verdict(false, true));
        assertThat(NodeEligibility.of(PLAIN, node("n1", "a", taint("dedicated", "NoExecute"))))
                .isEqualTo(new Verdict(false, false));
        assertThat(NodeEligibility.of(PLAIN, node("n1", "a", taint("dedicated", "PreferNoSchedule")))).isEqualTo(RUN);
    }

    @Test
    void theDaemonTolerationsCoverNodeConditionsAndCordons() {
        Node troubled = node("n1", "a", taint("node.kubernetes.io/not-ready", "NoExecute"),
                taint("node.kubernetes.io/unreachable", "NoExecute"),
                taint("node.kubernetes.io/memory-pressure", "NoSchedule"),
                taint("node.kubernetes.io/disk-pressure", "NoSchedule"),
                taint("node.kubernetes.io/pid-pressure", "NoSchedule"),
                taint("node.kubernetes.io/unschedulable", "NoSchedule"));
        assertThat(NodeEligibility.of(PLAIN, troubled)).isEqualTo(RUN);

        Node noNetwork = node("n1", "a", taint("node.kubernetes.io/network-unavailable", "NoSchedule"));
        assertThat(NodeEligibility.of(PLAIN, noNetwork).shouldRun()).isFalse();
        assertThat(NodeEligibility.of(daemon(new PodSpecBuilder(PLAIN).withHostNetwork(true).build()), noNetwork))
                .isEqualTo(RUN);
    }

    @Test
    void templateTolerationsMatchByKeyValueAndEffect() {
        PodSpec tolerant = daemon(new PodSpecBuilder(PLAIN).addNewToleration().withKey("dedicated")
                .withOperator("Equal").withValue("infra").withEffect("NoSchedule").endToleration().build());
        Taint infra = new io.fabric8.kubernetes.api.model.TaintBuilder(taint("dedicated", "NoSchedule")).withValue("infra").build();
        Taint other = new io.fabric8.kubernetes.api.model.TaintBuilder(taint("dedicated", "NoSchedule")).withValue("db").build();

        assertThat(NodeEligibility.of(tolerant, node("n1", "a", infra))).isEqualTo(RUN);
        assertThat(NodeEligibility.of(tolerant, node("n1", "a", other)).shouldRun()).isFalse();
    }

    @Test
    void aTemplateNodeNameOnlyAllowsThatNode() {
        PodSpec pinned = new PodSpecBuilder(PLAIN).withNodeName("n2").build();
        assertThat(NodeEligibility.of(pinned, node("n1", "a"))).isEqualTo(NEITHER);
        assertThat(NodeEligibility.of(pinned, node("n2", "a"))).isEqualTo(RUN);
    }
}

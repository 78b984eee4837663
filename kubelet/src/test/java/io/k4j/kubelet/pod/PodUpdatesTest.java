package io.k4j.kubelet.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class PodUpdatesTest {

    private static final Pod POD = new PodBuilder()
            .withNewMetadata().withName("web").withNamespace("default").withUid("u1").withResourceVersion("10")
            .addToLabels("app", "web").endMetadata()
            .withNewSpec().withNodeName("n1").addNewContainer().withName("main").withImage("busybox").endContainer()
            .endSpec()
            .withNewStatus().withPhase("Pending").endStatus().build();

    @Test
    void theEchoOfAStatusPatchIsNotSynced() {
        Pod echo = changed(pod -> pod.editMetadata().withResourceVersion("11")
                .addToManagedFields(new ManagedFieldsEntryBuilder().withManager("kubelet").build()).endMetadata()
                .editStatus().withPhase("Running").withPodIP("10.42.0.5").endStatus());

        assertThat(PodUpdates.needsSync(POD, echo)).isFalse();
        assertThat(PodUpdates.needsSync(POD, POD)).isFalse();
    }

    @Test
    void changesOfSpecOrMetadataAreSynced() {
        assertThat(PodUpdates.needsSync(POD, changed(pod -> pod.editSpec().editFirstContainer()
                .withImage("busybox:2").endContainer().endSpec()))).isTrue();
        assertThat(PodUpdates.needsSync(POD, changed(pod -> pod.editMetadata()
                .withDeletionTimestamp("2026-11-27T10:00:00Z").withDeletionGracePeriodSeconds(30L).endMetadata())))
                .isTrue();
        assertThat(PodUpdates.needsSync(POD, changed(pod -> pod.editMetadata().addToLabels("tier", "front")
                .endMetadata()))).isTrue();
        assertThat(PodUpdates.needsSync(POD, changed(pod -> pod.editMetadata().addToAnnotations("note", "x")
                .endMetadata()))).isTrue();
    }

    @Test
    void aStatusChangeIsSyncedWhenAReadinessGateDependsOnIt() {
        Pod gated = changed(pod -> pod.editSpec().addNewReadinessGate().withConditionType("example.com/ready")
                .endReadinessGate().endSpec());
        Pod gateOpened = new PodBuilder(gated).editStatus().addNewCondition().withType("example.com/ready")
                .withStatus("True").endCondition().endStatus().build();

        assertThat(PodUpdates.needsSync(gated, gateOpened)).isTrue();
    }

    private static Pod changed(UnaryOperator<PodBuilder> change) {
        return change.apply(new PodBuilder(POD)).build();
    }
}

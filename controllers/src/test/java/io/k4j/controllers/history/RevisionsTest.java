package io.k4j.controllers.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RevisionsTest {

    static PodTemplateSpec template(String image) {
        return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage(image).endContainer().endSpec().build();
    }

    @Test
    void theDataIsAPatchThatReplacesTheTemplateAndGivesItBack() {
        var data = Revisions.templatePatch(template("nginx:1"));

        assertThat(data.toString()).isEqualTo("{\"spec\":{\"template\":{\"$patch\":\"replace\",\"metadata\":"
                + "{\"creationTimestamp\":null,\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":"
                + "[{\"image\":\"nginx:1\",\"name\":\"c\"}]}}}}");
        ControllerRevision revision = new ControllerRevisionBuilder().withData(data).build();
        assertThat(Revisions.template(revision)).isEqualTo(template("nginx:1"));
    }

    @Test
    void equalDataIsRecognisedWhateverTheKeyOrderAndHashesAlike() {
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("b", "2");
        labels.put("a", "1");
        Map<String, Object> reordered = new LinkedHashMap<>();
        reordered.put("a", "1");
        reordered.put("b", "2");
        ControllerRevision revision = new ControllerRevisionBuilder().withData(Map.of("labels", labels)).build();

        assertThat(Revisions.holds(revision, Map.of("labels", reordered))).isTrue();
        assertThat(Revisions.holds(revision, Map.of("labels", Map.of("a", "1")))).isFalse();
        assertThat(Revisions.hash(Map.of("labels", labels), null)).isEqualTo(Revisions.hash(Map.of("labels", reordered), null));
    }

    @Test
    void theHashIsUpstreamsSafeEncodedFnvAndTheCollisionCountChangesIt() {
        String hash = Revisions.hash(Revisions.templatePatch(template("nginx:1")), null);

        assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]{1,10}");
        assertThat(Revisions.hash(Revisions.templatePatch(template("nginx:2")), null)).isNotEqualTo(hash);
        assertThat(Revisions.hash(Revisions.templatePatch(template("nginx:1")), 1)).isNotEqualTo(hash);
        // upstream's alphabet maps each decimal digit's byte value modulo 27
        assertThat(Revisions.safeEncode("0123456789")).isEqualTo("456789bcdf");
    }

    @Test
    void aNewRevisionIsNamedOwnerHashLabelledAndOwned() {
        var set = new StatefulSetBuilder().withNewMetadata().withName("web").withNamespace("ns").withUid("u1")
                .addToAnnotations("kubernetes.io/change-cause", "first").endMetadata().build();
        var data = Revisions.templatePatch(template("nginx:1"));

        ControllerRevision revision = Revisions.newRevision(set, template("nginx:1"), data, 3, null);

        String hash = Revisions.hash(data, null);
        assertThat(revision.getMetadata().getName()).isEqualTo("web-" + hash);
        assertThat(revision.getMetadata().getLabels()).containsEntry("app", "web").containsEntry("controller-revision-hash", hash);
        assertThat(revision.getMetadata().getAnnotations()).containsEntry("kubernetes.io/change-cause", "first");
        assertThat(revision.getMetadata().getOwnerReferences().getFirst().getUid()).isEqualTo("u1");
        assertThat(revision.getRevision()).isEqualTo(3L);
    }

    @Test
    void revisionsAreNumberedAfterTheHighest() {
        var one = new ControllerRevisionBuilder().withNewMetadata().withName("a").endMetadata().withRevision(1L).build();
        var five = new ControllerRevisionBuilder().withNewMetadata().withName("b").endMetadata().withRevision(5L).build();

        assertThat(Revisions.nextNumber(List.of(five, one))).isEqualTo(6);
        assertThat(Revisions.nextNumber(List.of())).isEqualTo(1);
        assertThat(Revisions.sorted(List.of(five, one))).containsExactly(one, five);
    }
}

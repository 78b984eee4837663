package io.k4j.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import org.junit.jupiter.api.Test;

class TemplateHashTest {

    private static PodTemplateSpec template(String image) {
        return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec().build();
    }

    @Test
    void digitsAreSpelledInUpstreamsSafeAlphabet() {
        assertThat(TemplateHash.safeEncode("0123456789")).isEqualTo("456789bcdf");
    }

    @Test
    void theHashIsStableAndChangesWithTheTemplateAndTheCollisionCount() {
        String hash = TemplateHash.compute(template("nginx:1"), null);
        assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]{1,10}");
        assertThat(TemplateHash.compute(template("nginx:1"), null)).isEqualTo(hash);
        assertThat(TemplateHash.compute(template("nginx:2"), null)).isNotEqualTo(hash);
        assertThat(TemplateHash.compute(template("nginx:1"), 1)).isNotEqualTo(hash);
    }

    @Test
    void templatesAreEqualIgnoringTheHashLabelAndEmptyCollections() {
        PodTemplateSpec labelled = new PodTemplateSpecBuilder(template("nginx:1")).editMetadata()
                .addToLabels(TemplateHash.LABEL, "abc").withAnnotations(java.util.Map.of()).endMetadata().build();
        assertThat(TemplateHash.equalIgnoringHash(labelled, template("nginx:1"))).isTrue();
        assertThat(TemplateHash.equalIgnoringHash(labelled, template("nginx:2"))).isFalse();
    }
}

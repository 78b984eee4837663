package io.k4j.apiserver.admission;

import static io.k4j.apiserver.admission.FakeLookup.obj;
import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.registry.ResourceRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class DefaultStorageClassTest {

    private static final ResourceDefinition CLAIMS =
            ResourceRegistry.withBuiltins().require("", "v1", "persistentvolumeclaims");
    private static final String LOCAL = "{'metadata':{'name':'local-path','creationTimestamp':'2026-01-01T00:00:00Z',"
            + "'annotations':{'storageclass.kubernetes.io/is-default-class':'true'}},'provisioner':'rancher.io/local-path'}";
    private static final String NEWER = "{'metadata':{'name':'fast','creationTimestamp':'2026-02-01T00:00:00Z',"
            + "'annotations':{'storageclass.beta.kubernetes.io/is-default-class':'true'}},'provisioner':'x'}";
    private static final String OTHER = "{'metadata':{'name':'slow','creationTimestamp':'2026-03-01T00:00:00Z'},"
            + "'provisioner':'y'}";

    private final DefaultStorageClass plugin = new DefaultStorageClass();

    private static String admit(String claimJson, String... classes) {
        ObjectNode claim = obj(claimJson);
        Attributes attributes = Attributes.create(CLAIMS, "default", claim);
        new DefaultStorageClass().admit(attributes, new FakeLookup(DefaultStorageClass.STORAGE_CLASSES, classes));
        return claim.path("spec").path("storageClassName").isMissingNode() ? null
                : claim.path("spec").path("storageClassName").asString();
    }

    @Test
    void aClaimWithoutAClassGetsTheNewestDefault() {
        assertThat(admit("{'metadata':{'name':'d'},'spec':{}}", LOCAL, OTHER)).isEqualTo("local-path");
        assertThat(admit("{'metadata':{'name':'d'},'spec':{'storageClassName':null}}", LOCAL, OTHER))
                .isEqualTo("local-path");
        assertThat(admit("{'metadata':{'name':'d'},'spec':{}}", LOCAL, NEWER, OTHER)).isEqualTo("fast");
    }

    @Test
    void explicitClassesEmptyClassAndNoDefaultAreLeftAlone() {
        assertThat(admit("{'metadata':{'name':'d'},'spec':{'storageClassName':''}}", LOCAL)).isEmpty();
        assertThat(admit("{'metadata':{'name':'d'},'spec':{'storageClassName':'slow'}}", LOCAL)).isEqualTo("slow");
        assertThat(admit("{'metadata':{'name':'d'},'spec':{}}", OTHER)).isNull();
        assertThat(admit("{'metadata':{'name':'d','annotations':{'volume.beta.kubernetes.io/storage-class':'slow'}},"
                + "'spec':{}}", LOCAL)).isNull();
    }

    @Test
    void onlyCreatesOfClaims() {
        ObjectNode claim = obj("{'metadata':{'name':'d'},'spec':{}}");
        assertThat(plugin.handles(Attributes.create(CLAIMS, "default", claim))).isTrue();
        assertThat(plugin.handles(Attributes.update(CLAIMS, "default", claim, claim))).isFalse();
    }
}

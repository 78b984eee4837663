package io.k4j.apiserver.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.registry.ResourceDefinition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class DeletionPropagationTest {

    static ResourceDefinition resource(String group, String plural) {
        return new ResourceDefinition(group, "v1", "Kind", plural, plural, List.of(), List.of(), true,
                ResourceDefinition.ALL_VERBS, List.of(), null);
    }

    static final ResourceDefinition DEPLOYMENTS = resource("apps", "deployments");

    static ObjectNode object(String finalizers) {
        return Json.parseObject(("{\"metadata\":{\"name\":\"x\",\"finalizers\":" + finalizers + "}}")
                .getBytes(StandardCharsets.UTF_8));
    }

    static List<String> finalizersAfter(ResourceDefinition definition, ObjectNode object, String policy) {
        DeletionPropagation.applyFinalizers(definition, object,
                new DeleteOptions(null, null, null, policy, false));
        List<String> finalizers = new ArrayList<>();
        object.path("metadata").path("finalizers").forEach(f -> finalizers.add(f.asString()));
        return finalizers;
    }

    @Test
    void foregroundAndOrphanAddTheirFinalizersBackgroundNone() {
        assertThat(finalizersAfter(DEPLOYMENTS, object("[]"), "Foreground")).containsExactly("foregroundDeletion");
        assertThat(finalizersAfter(DEPLOYMENTS, object("[\"x.io/keep\"]"), "Orphan"))
                .containsExactly("x.io/keep", "orphan");
        assertThat(finalizersAfter(DEPLOYMENTS, object("[]"), "Background")).isEmpty();
        assertThat(finalizersAfter(DEPLOYMENTS, object("[]"), null)).isEmpty();
    }

    @Test
    void aLaterPolicyReplacesTheFinalizerOfAnEarlierOneAndNoPolicyKeepsIt() {
        assertThat(finalizersAfter(DEPLOYMENTS, object("[\"orphan\"]"), "Background")).isEmpty();
        assertThat(finalizersAfter(DEPLOYMENTS, object("[\"orphan\"]"), "Foreground"))
                .containsExactly("foregroundDeletion");
        assertThat(finalizersAfter(DEPLOYMENTS, object("[\"foregroundDeletion\"]"), null))
                .containsExactly("foregroundDeletion");
    }

    @Test
    void jobsAndReplicationControllersOrphanByDefault() {
        assertThat(finalizersAfter(resource("batch", "jobs"), object("[]"), null)).containsExactly("orphan");
        assertThat(finalizersAfter(resource("", "replicationcontrollers"), object("[]"), null))
                .containsExactly("orphan");
        assertThat(finalizersAfter(resource("batch", "jobs"), object("[]"), "Background")).isEmpty();
    }
}

package io.k4j.controllers.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.controllers.testing.ControllerHarness;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GarbageCollectorTest {

    static final String NS = "gc";
    static final Duration WAIT = Duration.ofSeconds(15);
    static ControllerHarness harness;
    static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        harness = ControllerHarness.start();
        client = harness.client();
        harness.createNamespace(NS);
        // A real clock: the collector waits for its informers to sync by requeueing.
        harness.run(GarbageCollector.NAME, new GarbageCollector(), Clock.systemUTC(), 2);
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    static ConfigMap configMap(String name, OwnerReference... owners) {
        return client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                .withOwnerReferences(List.of(owners)).endMetadata().build()).create();
    }

    static OwnerReference ref(ConfigMap owner, boolean blocking) {
        return new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap")
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withBlockOwnerDeletion(blocking).build();
    }

    static ConfigMap get(String name) {
        return client.configMaps().inNamespace(NS).withName(name).get();
    }

    static void delete(String name, DeletionPropagation policy) {
        client.configMaps().inNamespace(NS).withName(name).withPropagationPolicy(policy).delete();
    }

    @Test
    void backgroundDeletionRemovesDependentsWhoseOwnersAreAllGone() {
        ConfigMap owner = configMap("bg-owner");
        ConfigMap other = configMap("bg-other");
        configMap("bg-child", ref(owner, false));
        configMap("bg-grandchild", ref(get("bg-child"), false));
        configMap("bg-shared", ref(owner, false), ref(other, false));

        delete("bg-owner", DeletionPropagation.BACKGROUND);

        await().atMost(WAIT).until(() -> get("bg-child") == null && get("bg-grandchild") == null);
        await().atMost(WAIT).until(() -> get("bg-shared").getMetadata().getOwnerReferences().size() == 1);
        assertThat(get("bg-shared").getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("bg-other");
    }

    @Test
    void foregroundDeletionWaitsForBlockingDependents() {
        ConfigMap owner = configMap("fg-owner");
        configMap("fg-blocking", ref(owner, true));
        configMap("fg-plain", ref(owner, false));
        // A finalizer of someone else keeps the blocking dependent, and so the owner, around.
        client.configMaps().inNamespace(NS).withName("fg-blocking").edit(cm -> new ConfigMapBuilder(cm)
                .editMetadata().addToFinalizers("example.com/hold").endMetadata().build());

        delete("fg-owner", DeletionPropagation.FOREGROUND);

        await().atMost(WAIT).until(() -> get("fg-plain") == null
                && get("fg-blocking").getMetadata().getDeletionTimestamp() != null);
        assertThat(get("fg-owner").getMetadata().getFinalizers()).containsExactly("foregroundDeletion");
        assertThat(get("fg-owner").getMetadata().getDeletionTimestamp()).isNotNull();

        client.configMaps().inNamespace(NS).withName("fg-blocking").edit(cm -> new ConfigMapBuilder(cm)
                .editMetadata().withFinalizers(List.of()).endMetadata().build());
        await().atMost(WAIT).until(() -> get("fg-owner") == null && get("fg-blocking") == null);
    }

    @Test
    void foregroundDeletionGoesDownAChainOfOwners() {
        ConfigMap top = configMap("chain-top");
        ConfigMap middle = configMap("chain-middle", ref(top, true));
        configMap("chain-bottom", ref(middle, true));

        delete("chain-top", DeletionPropagation.FOREGROUND);

        await().atMost(WAIT).until(() -> get("chain-top") == null);
        assertThat(get("chain-middle")).isNull();
        assertThat(get("chain-bottom")).isNull();
    }

    @Test
    void orphanDeletionReleasesDependents() {
        ConfigMap owner = configMap("or-owner");
        configMap("or-child", ref(owner, true));

        delete("or-owner", DeletionPropagation.ORPHAN);

        await().atMost(WAIT).until(() -> get("or-owner") == null);
        assertThat(get("or-child").getMetadata().getOwnerReferences()).isEmpty();
    }

    @Test
    void customResourcesAreCollectedToo() {
        client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("widgets.example.com").endMetadata()
                .withNewSpec().withGroup("example.com").withScope("Namespaced")
                .withNewNames().withKind("Widget").withPlural("widgets").withSingular("widget").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema().endVersion()
                .endSpec().build()).create();
        ConfigMap owner = configMap("cr-owner");
        // The client looks the kind up in discovery when asked for it: only once the CRD is served does it know it.
        await().atMost(WAIT).ignoreExceptions().until(() -> client.genericKubernetesResources("example.com/v1", "Widget")
                .inNamespace(NS).resource(new GenericKubernetesResourceBuilder()
                .withApiVersion("example.com/v1").withKind("Widget").withNewMetadata().withName("w")
                .withOwnerReferences(ref(owner, false)).endMetadata().build()).create() != null);

        delete("cr-owner", DeletionPropagation.BACKGROUND);

        var widgets = client.genericKubernetesResources("example.com/v1", "Widget").inNamespace(NS);
        await().atMost(Duration.ofSeconds(45)).until(() -> widgets.withName("w").get() == null);
    }

    @Test
    void anObjectWhoseOwnerNeverExistedIsCollected() {
        configMap("dangling", new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap")
                .withName("nobody").withUid("00000000-0000-0000-0000-000000000000").build());
        await().atMost(WAIT).until(() -> get("dangling") == null);
    }
}

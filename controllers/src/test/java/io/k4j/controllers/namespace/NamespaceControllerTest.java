package io.k4j.controllers.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.controllers.testing.ControllerHarness;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NamespaceControllerTest {

    static final Duration WAIT = Duration.ofSeconds(15);
    static ControllerHarness harness;
    static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        harness = ControllerHarness.start();
        client = harness.client();
        // A real clock: the controller looks again after RECHECK while content remains.
        harness.run(NamespaceController.NAME, new NamespaceController(), Clock.systemUTC(), 2);
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    static void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
    }

    static Namespace get(String name) {
        return client.namespaces().withName(name).get();
    }

    static NamespaceCondition condition(Namespace namespace, String type) {
        return namespace.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst()
                .orElseThrow();
    }

    @Test
    void everythingInsideGoesThenTheNamespace() {
        namespace("doomed");
        assertThat(get("doomed").getSpec().getFinalizers()).containsExactly("kubernetes");
        client.configMaps().inNamespace("doomed").resource(new ConfigMapBuilder().withNewMetadata().withName("c")
                .endMetadata().build()).create();
        client.secrets().inNamespace("doomed").resource(new SecretBuilder().withNewMetadata().withName("s")
                .endMetadata().build()).create();
        client.pods().inNamespace("doomed").resource(new PodBuilder().withNewMetadata().withName("p").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().build())
                .create();

        client.namespaces().withName("doomed").delete();

        await().atMost(WAIT).until(() -> get("doomed") == null);
        assertThat(client.configMaps().inNamespace("doomed").list().getItems()).isEmpty();
        assertThat(client.pods().inNamespace("doomed").list().getItems()).isEmpty();
    }

    @Test
    void contentWithFinalizersHoldsTheNamespaceAndTheConditionsSayWhy() {
        namespace("held");
        client.configMaps().inNamespace("held").resource(new ConfigMapBuilder().withNewMetadata().withName("c")
                .withFinalizers("example.com/keep").endMetadata().build()).create();

        client.namespaces().withName("held").delete();

        await().atMost(WAIT).until(() -> {
            Namespace ns = get("held");
            return ns.getStatus().getConditions() != null && !ns.getStatus().getConditions().isEmpty();
        });
        Namespace held = get("held");
        assertThat(held.getStatus().getPhase()).isEqualTo("Terminating");
        assertThat(condition(held, "NamespaceContentRemaining").getMessage())
                .isEqualTo("Some resources are remaining: configmaps. has 1 resource instances");
        assertThat(condition(held, "NamespaceFinalizersRemaining").getMessage())
                .isEqualTo("Some content in the namespace has finalizers remaining: example.com/keep in 1 resource "
                        + "instances");
        assertThat(condition(held, "NamespaceDeletionDiscoveryFailure").getStatus()).isEqualTo("False");
        assertThat(condition(held, "NamespaceDeletionContentFailure").getReason()).isEqualTo("ContentDeleted");

        client.configMaps().inNamespace("held").withName("c").edit(cm -> new ConfigMapBuilder(cm).editMetadata()
                .withFinalizers(List.of()).endMetadata().build());
        await().atMost(WAIT).until(() -> get("held") == null);
    }
}

package io.k4j.controllers.disruption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.client.testing.MutableClock;
import io.k4j.controllers.testing.ControllerHarness;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DisruptionControllerTest {

    static ControllerHarness harness;
    static KubernetesClient client;
    /** fabric8 retries 429s with backoff by default: evictions here should see the first answer. */
    static KubernetesClient evictions;

    @BeforeAll
    static void start() throws Exception {
        harness = ControllerHarness.start();
        client = harness.client();
        evictions = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(io.fabric8.kubernetes.client.Config.fromKubeconfig(
                        java.nio.file.Files.readString(harness.kubeconfig()))).withRequestRetryBackoffLimit(0).build())
                .build();
        harness.run(DisruptionController.NAME, new DisruptionController(),
                new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS)), 2);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("apps").endMetadata().build())
                .create();
    }

    @AfterAll
    static void stop() throws Exception {
        evictions.close();
        harness.close();
    }

    @Test
    void evictionsTakeTheBudgetsDisruptionsUntilNoneAreLeft() {
        for (int i = 0; i < 3; i++) {
            readyPod("web-" + i);
        }
        client.resources(PodDisruptionBudget.class).inNamespace("apps").resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("web").withNamespace("apps").endMetadata()
                .withNewSpec().withMinAvailable(new IntOrString(2)).withNewSelector().addToMatchLabels("app", "web")
                .endSelector().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(10)).until(() -> status().getDisruptionsAllowed() == 1);
        var status = status();
        assertThat(status.getExpectedPods()).isEqualTo(3);
        assertThat(status.getDesiredHealthy()).isEqualTo(2);
        assertThat(status.getCurrentHealthy()).isEqualTo(3);
        assertThat(status.getObservedGeneration()).isEqualTo(1);
        assertThat(status.getConditions()).singleElement().satisfies(condition -> {
            assertThat(condition.getType()).isEqualTo("DisruptionAllowed");
            assertThat(condition.getStatus()).isEqualTo("True");
            assertThat(condition.getReason()).isEqualTo("SufficientPods");
        });

        assertThat(evictions.pods().inNamespace("apps").withName("web-0").evict()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> status().getCurrentHealthy() == 2);
        assertThat(status().getDisruptionsAllowed()).isZero();
        assertThat(status().getConditions().getFirst().getReason()).isEqualTo("InsufficientPods");
        assertThat(evictions.pods().inNamespace("apps").withName("web-1").evict()).isFalse(); // 429
        assertThat(client.pods().inNamespace("apps").withName("web-1").get()).isNotNull();

        readyPod("web-3");
        await().atMost(Duration.ofSeconds(10)).until(() -> status().getDisruptionsAllowed() == 1);
        assertThat(evictions.pods().inNamespace("apps").withName("web-1").evict()).isTrue();
    }

    private static io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus status() {
        var budget = client.resources(PodDisruptionBudget.class).inNamespace("apps").withName("web").get();
        return budget.getStatus() == null ? new io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus()
                : budget.getStatus();
    }

    private static void readyPod(String name) {
        Pod created = client.pods().inNamespace("apps").resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("apps").addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
                .build()).create();
        client.pods().inNamespace("apps").resource(new PodBuilder(created).withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build())
                .updateStatus();
    }
}

package io.k4j.controllers.resourcequota;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.client.testing.MutableClock;
import io.k4j.controllers.testing.ControllerHarness;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ResourceQuotaControllerTest {

    static ControllerHarness harness;
    static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        harness = ControllerHarness.start();
        client = harness.client();
        harness.run(ResourceQuotaController.NAME, new ResourceQuotaController(), new MutableClock(), 2);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build())
                .create();
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @Test
    void usedFollowsPodsAndConfigMaps() {
        client.resourceQuotas().inNamespace("team").resource(new ResourceQuotaBuilder().withNewMetadata()
                .withName("quota").endMetadata().withNewSpec().withHard(Map.of("pods", new Quantity("10"),
                        "requests.cpu", new Quantity("4"), "configmaps", new Quantity("5"))).endSpec().build()).create();
        await().atMost(Duration.ofSeconds(10)).until(() -> used("pods").equals("0"));
        for (int i = 0; i < 2; i++) {
            client.pods().inNamespace("team").resource(new PodBuilder().withNewMetadata().withName("p" + i)
                    .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("busybox").withNewResources()
                    .addToRequests("cpu", new Quantity("250m")).endResources().endContainer().endSpec().build()).create();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> used("pods").equals("2") && used("requests.cpu").equals("500m"));
        client.pods().inNamespace("team").withName("p0").withGracePeriod(0).delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> used("pods").equals("1") && used("requests.cpu").equals("250m"));
        await().atMost(Duration.ofSeconds(10)).until(() -> status().getHard().get("requests.cpu").toString().equals("4"));
    }

    private static ResourceQuota quota() {
        return client.resourceQuotas().inNamespace("team").withName("quota").get();
    }

    private static io.fabric8.kubernetes.api.model.ResourceQuotaStatus status() {
        return quota().getStatus();
    }

    private static String used(String resource) {
        var status = status();
        if (status == null || status.getUsed() == null || status.getUsed().get(resource) == null) {
            return "";
        }
        Quantity quantity = status.getUsed().get(resource);
        return quantity.getAmount() + (quantity.getFormat() == null ? "" : quantity.getFormat());
    }
}

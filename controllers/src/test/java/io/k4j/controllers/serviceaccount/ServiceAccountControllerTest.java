package io.k4j.controllers.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.k4j.client.testing.MutableClock;
import io.k4j.controllers.testing.ControllerHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ServiceAccountControllerTest {

    static ControllerHarness harness;

    @BeforeAll
    static void start() throws Exception {
        harness = ControllerHarness.start();
        harness.run(ServiceAccountController.NAME, new ServiceAccountController(), new MutableClock(), 2);
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @Test
    void everyNamespaceGetsADefaultServiceAccountBackAfterItIsDeleted() {
        var client = harness.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-a").endMetadata().build())
                .create();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.serviceAccounts().inNamespace("team-a").withName("default").get() != null);
        String firstUid = client.serviceAccounts().inNamespace("team-a").withName("default").get().getMetadata().getUid();

        client.serviceAccounts().inNamespace("team-a").withName("default").delete();

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            var account = client.serviceAccounts().inNamespace("team-a").withName("default").get();
            return account != null && !account.getMetadata().getUid().equals(firstUid);
        });
        assertThat(client.serviceAccounts().inNamespace("kube-system").withName("default").get()).isNotNull();
    }
}

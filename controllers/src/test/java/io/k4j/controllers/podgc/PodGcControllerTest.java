package io.k4j.controllers.podgc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.client.testing.MutableClock;
import io.k4j.controllers.runtime.ControllerLoop;
import io.k4j.controllers.testing.ControllerHarness;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PodGcControllerTest {

    static ControllerHarness harness;
    static KubernetesClient client;
    static MutableClock clock;
    static ControllerLoop loop;

    @BeforeAll
    static void start() throws Exception {
        harness = ControllerHarness.start();
        client = harness.client();
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        loop = harness.run(PodGcController.NAME, new PodGcController(2), clock, 0); // driven by hand
        for (String namespace : new String[] {"done", "orphans"}) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                    .build()).create();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @Test
    void finishedPodsBeyondTheThresholdGoOldestFirst() {
        for (int i = 0; i < 4; i++) {
            Pod pod = pod("done", "job-" + i, null);
            client.pods().inNamespace("done").resource(new PodBuilder(pod).withNewStatus().withPhase("Succeeded")
                    .endStatus().build()).updateStatus();
        }
        awaitCached(4, "done");
        loop.processOne(PodGcController.ALL);
        assertThat(client.pods().inNamespace("done").list().getItems()).extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder("job-2", "job-3");
    }

    @Test
    void podsOfANodeThatIsGoneGoAfterTheQuarantine() {
        pod("orphans", "stranded", "ghost-node");
        awaitCached(1, "orphans");
        loop.processOne(PodGcController.ALL);
        assertThat(client.pods().inNamespace("orphans").withName("stranded").get()).isNotNull();

        clock.advance(PodGcController.QUARANTINE);
        loop.processOne(PodGcController.ALL);
        assertThat(client.pods().inNamespace("orphans").withName("stranded").get()).isNull();
    }

    private static Pod pod(String namespace, String name, String node) {
        return client.pods().inNamespace(namespace).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("busybox").endContainer()
                .endSpec().build()).create();
    }

    private static void awaitCached(int count, String namespace) {
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.context().cache(Pod.class).list(namespace).stream()
                .filter(p -> p.getStatus() != null && (p.getStatus().getPhase() != null || p.getSpec().getNodeName() != null))
                .count() == count);
    }
}

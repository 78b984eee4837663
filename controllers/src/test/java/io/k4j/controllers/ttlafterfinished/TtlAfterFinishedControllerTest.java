package io.k4j.controllers.ttlafterfinished;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.client.testing.MutableClock;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.runtime.ControllerLoop;
import io.k4j.controllers.testing.ControllerHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TtlAfterFinishedControllerTest {

    static ControllerHarness harness;
    static KubernetesClient client;
    static MutableClock clock = new MutableClock();
    static ControllerLoop loop;

    @BeforeAll
    static void start() throws Exception {
        harness = ControllerHarness.start();
        client = harness.client();
        loop = harness.run(TtlAfterFinishedController.NAME, new TtlAfterFinishedController(), clock, 1);
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @Test
    void finishedJobsAreDeletedTheirTtlAfterFinishing() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("ttl").endMetadata().build())
                .create();
        Job job = new JobBuilder().withNewMetadata().withName("short").endMetadata().withNewSpec()
                .withTtlSecondsAfterFinished(60).withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage("busybox").endContainer().endSpec().endTemplate()
                .endSpec().build();
        Job created = client.resources(Job.class).inNamespace("ttl").resource(job).create();
        Job finished = new JobBuilder(created).withNewStatus().addNewCondition().withType("Complete").withStatus("True")
                .withLastTransitionTime(clock.instant().toString()).endCondition().endStatus().build();
        client.resources(Job.class).inNamespace("ttl").resource(finished).updateStatus();

        clock.advance(Duration.ofSeconds(59));
        loop.queue().add(new ObjectKey("ttl", "short"));
        await().pollDelay(Duration.ofMillis(300)).until(() -> loop.queue().length() == 0);
        assertThat(client.resources(Job.class).inNamespace("ttl").withName("short").get()).isNotNull();

        clock.advance(Duration.ofSeconds(1));
        loop.queue().add(new ObjectKey("ttl", "short"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.resources(Job.class).inNamespace("ttl").withName("short").get() == null);
    }
}

package io.k4j.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ReplicationControllerBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.client.testing.MutableClock;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.OwnerRefs;
import io.k4j.controllers.runtime.ControllerLoop;
import io.k4j.controllers.testing.ControllerHarness;
import io.k4j.controllers.testing.FakeKubelet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReplicaSetControllerTest {

    static ControllerHarness harness;
    static KubernetesClient client;
    static final MutableClock clock = new MutableClock();
    static ControllerLoop replicaSets;

    @BeforeAll
    static void start() throws Exception {
        harness = ControllerHarness.start();
        client = harness.client();
        replicaSets = harness.run(ReplicaSetController.NAME, new ReplicaSetController(clock), clock, 2);
        harness.run(ReplicationManager.NAME, new ReplicationManager(clock), clock, 2);
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    private static void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
    }

    private static ReplicaSet replicaSet(String namespace, String name, int replicas, int minReadySeconds) {
        return client.apps().replicaSets().inNamespace(namespace).resource(new ReplicaSetBuilder().withNewMetadata()
                .withName(name).endMetadata().withNewSpec().withReplicas(replicas).withMinReadySeconds(minReadySeconds)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("pause").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
    }

    private static List<Pod> pods(String namespace) {
        return client.pods().inNamespace(namespace).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private static ReplicaSet get(String namespace, String name) {
        return client.apps().replicaSets().inNamespace(namespace).withName(name).get();
    }

    @Test
    void createsAndDeletesPodsToMatchReplicasAndReportsThem() {
        namespace("scale");
        replicaSet("scale", "web", 3, 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> pods("scale").size() == 3);
        assertThat(pods("scale")).allSatisfy(pod -> {
            assertThat(pod.getMetadata().getName()).startsWith("web-");
            assertThat(OwnerRefs.controllerOf(pod).orElseThrow().getName()).isEqualTo("web");
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> client.v1().events().inNamespace("scale").list().getItems()
                .stream().filter(e -> "SuccessfulCreate".equals(e.getReason())
                        && e.getMessage().startsWith("Created pod: web-")).count() == 3);

        FakeKubelet.markReady(client, pods("scale").getFirst(), clock);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var status = get("scale", "web").getStatus();
            assertThat(status.getReplicas()).isEqualTo(3);
            assertThat(status.getFullyLabeledReplicas()).isEqualTo(3);
            assertThat(status.getReadyReplicas()).isEqualTo(1);
            assertThat(status.getAvailableReplicas()).isEqualTo(1);
            assertThat(status.getObservedGeneration()).isEqualTo(1L);
        });

        client.apps().replicaSets().inNamespace("scale").withName("web").scale(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> pods("scale").size() == 1);
        // The ready pod is the one kept: not-ready pods go first.
        assertThat(pods("scale").getFirst().getStatus().getPhase()).isEqualTo("Running");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.v1().events().inNamespace("scale").list().getItems()
                .stream().filter(e -> "SuccessfulDelete".equals(e.getReason())).count() == 2);
    }

    @Test
    void adoptsMatchingOrphansAndReleasesPodsThatStopMatching() {
        namespace("adopt");
        client.pods().inNamespace("adopt").resource(new PodBuilder().withNewMetadata().withName("stray")
                .addToLabels("app", "db").endMetadata().withNewSpec().addNewContainer().withName("c")
                .withImage("pause").endContainer().endSpec().build()).create();
        replicaSet("adopt", "db", 2, 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> pods("adopt").size() == 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> OwnerRefs.controllerOf(
                client.pods().inNamespace("adopt").withName("stray").get()).isPresent());

        client.pods().inNamespace("adopt").withName("stray").edit(p -> new PodBuilder(p).editMetadata()
                .addToLabels("app", "other").endMetadata().build());
        await().atMost(Duration.ofSeconds(10)).until(() -> OwnerRefs.controllerOf(
                client.pods().inNamespace("adopt").withName("stray").get()).isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> pods("adopt").size() == 3); // a replacement
    }

    @Test
    void podsBecomeAvailableAfterMinReadySeconds() {
        namespace("minready");
        replicaSet("minready", "slow", 1, 30);
        await().atMost(Duration.ofSeconds(10)).until(() -> pods("minready").size() == 1);
        FakeKubelet.markAllReady(client, "minready", clock);
        await().atMost(Duration.ofSeconds(10)).until(() -> get("minready", "slow").getStatus() != null
                && Integer.valueOf(1).equals(get("minready", "slow").getStatus().getReadyReplicas()));
        assertThat(get("minready", "slow").getStatus().getAvailableReplicas()).isNull();

        clock.advance(Duration.ofSeconds(30));
        replicaSets.queue().add(new ObjectKey("minready", "slow")); // the requeue waits in real time
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(1)
                .equals(get("minready", "slow").getStatus().getAvailableReplicas()));
    }

    @Test
    void aReplicationControllerKeepsItsPodsLikeAReplicaSet() {
        namespace("rc");
        client.replicationControllers().inNamespace("rc").resource(new ReplicationControllerBuilder()
                .withNewMetadata().withName("legacy").endMetadata().withNewSpec().withReplicas(2)
                .withSelector(Map.of("app", "legacy")).withNewTemplate().withNewMetadata()
                .addToLabels("app", "legacy").endMetadata().withNewSpec().addNewContainer().withName("c")
                .withImage("pause").endContainer().endSpec().endTemplate().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(10)).until(() -> pods("rc").size() == 2);
        assertThat(pods("rc")).allSatisfy(pod -> assertThat(OwnerRefs.controllerOf(pod).orElseThrow().getKind())
                .isEqualTo("ReplicationController"));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            var status = client.replicationControllers().inNamespace("rc").withName("legacy").get().getStatus();
            return status != null && Integer.valueOf(2).equals(status.getReplicas())
                    && Long.valueOf(1).equals(status.getObservedGeneration());
        });
    }
}

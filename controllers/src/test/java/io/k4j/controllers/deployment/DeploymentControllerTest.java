package io.k4j.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.client.testing.MutableClock;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.replicaset.ReplicaSetController;
import io.k4j.controllers.runtime.ControllerLoop;
import io.k4j.controllers.testing.ControllerHarness;
import io.k4j.controllers.testing.FakeKubelet;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The deployment and replicaset controllers together; the test plays the kubelet, making pods Ready. */
class DeploymentControllerTest {

    static ControllerHarness harness;
    static KubernetesClient client;
    static final MutableClock clock = new MutableClock();
    static ControllerLoop deployments;

    @BeforeAll
    static void start() throws Exception {
        harness = ControllerHarness.start();
        client = harness.client();
        harness.run(ReplicaSetController.NAME, new ReplicaSetController(clock), clock, 2);
        deployments = harness.run(DeploymentController.NAME, new DeploymentController(), clock, 2);
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    private static void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
    }

    private static Deployment create(String namespace, int replicas, int maxSurge, int maxUnavailable,
            Integer progressDeadlineSeconds, Integer revisionHistoryLimit) {
        return create(namespace, replicas, maxSurge, maxUnavailable, progressDeadlineSeconds, revisionHistoryLimit,
                false);
    }

    private static Deployment create(String namespace, int replicas, int maxSurge, int maxUnavailable,
            Integer progressDeadlineSeconds, Integer revisionHistoryLimit, boolean paused) {
        return client.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder().withNewMetadata()
                .withName("web").endMetadata().withNewSpec().withReplicas(replicas).withPaused(paused)
                .withProgressDeadlineSeconds(progressDeadlineSeconds).withRevisionHistoryLimit(revisionHistoryLimit)
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(new IntOrString(maxSurge)).withMaxUnavailable(new IntOrString(maxUnavailable))
                .endRollingUpdate().endStrategy()
                .withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("nginx:1").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
    }

    private static Deployment get(String namespace) {
        return client.apps().deployments().inNamespace(namespace).withName("web").get();
    }

    private static void setImage(String namespace, String image) {
        edit(namespace, d -> new DeploymentBuilder(d)
                .editSpec().editTemplate().editSpec().editFirstContainer().withImage(image).endContainer().endSpec()
                .endTemplate().endSpec().build());
    }

    /** Edits the Deployment, again on a conflict with the controller's own writes. */
    private static void edit(String namespace, UnaryOperator<Deployment> change) {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(KubernetesClientException.class)
                .until(() -> client.apps().deployments().inNamespace(namespace).withName("web").edit(change) != null);
    }

    private static List<ReplicaSet> replicaSets(String namespace) {
        return client.apps().replicaSets().inNamespace(namespace).list().getItems();
    }

    private static DeploymentCondition condition(String namespace, String type) {
        return DeploymentStatuses.get(get(namespace).getStatus(), type);
    }

    private static boolean rolledOut(String namespace, String image) {
        Deployment d = get(namespace);
        var status = d.getStatus();
        return status != null && d.getMetadata().getGeneration().equals(status.getObservedGeneration())
                && DeploymentStatuses.complete(d, status)
                && d.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage().equals(image);
    }

    /** Plays the kubelet until the rollout completes, checking after each step that it stays within its bounds. */
    private static void driveRollout(String namespace, String image, int replicas, int maxSurge) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            int total = replicaSets(namespace).stream().mapToInt(ReplicaSets::replicas).sum();
            assertThat(total).isLessThanOrEqualTo(replicas + maxSurge);
            FakeKubelet.markAllReady(client, namespace, clock);
            return rolledOut(namespace, image);
        });
    }

    @Test
    void aRollingUpdateMovesPodsToANewReplicaSetWithinItsBounds() {
        namespace("roll");
        create("roll", 4, 1, 0, 600, 10);
        driveRollout("roll", "nginx:1", 4, 1);
        ReplicaSet first = replicaSets("roll").getFirst();
        assertThat(first.getMetadata().getName()).isEqualTo("web-" + first.getMetadata().getLabels()
                .get(TemplateHash.LABEL));
        assertThat(first.getSpec().getSelector().getMatchLabels()).containsKey(TemplateHash.LABEL);
        assertThat(first.getMetadata().getAnnotations()).containsEntry(Revisions.REVISION, "1")
                .containsEntry(Revisions.DESIRED_REPLICAS, "4").containsEntry(Revisions.MAX_REPLICAS, "5");

        setImage("roll", "nginx:2");
        driveRollout("roll", "nginx:2", 4, 1);

        assertThat(get("roll").getMetadata().getAnnotations()).containsEntry(Revisions.REVISION, "2");
        assertThat(replicaSets("roll")).extracting(ReplicaSets::replicas).containsExactlyInAnyOrder(0, 4);
        var progressing = condition("roll", DeploymentStatuses.PROGRESSING);
        assertThat(progressing.getReason()).isEqualTo("NewReplicaSetAvailable");
        assertThat(condition("roll", DeploymentStatuses.AVAILABLE).getReason()).isEqualTo("MinimumReplicasAvailable");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.v1().events().inNamespace("roll").list().getItems()
                .stream().anyMatch(e -> "ScalingReplicaSet".equals(e.getReason())
                        && e.getMessage().matches("Scaled down replica set web-\\w+ from 1 to 0")));
    }

    @Test
    void recreateRemovesEveryOldPodBeforeTheNewReplicaSetGrows() {
        namespace("recreate");
        create("recreate", 3, 1, 0, 600, 10);
        edit("recreate", d -> new DeploymentBuilder(d)
                .editSpec().editStrategy().withType("Recreate").withRollingUpdate(null).endStrategy().endSpec()
                .build());
        driveRollout("recreate", "nginx:1", 3, 0);
        setImage("recreate", "nginx:2");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
            List<ReplicaSet> sets = replicaSets("recreate");
            assertThat(sets.stream().filter(rs -> ReplicaSets.replicas(rs) > 0 || ReplicaSets.statusReplicas(rs) > 0))
                    .as("ReplicaSets with pods").hasSizeLessThanOrEqualTo(1);
            FakeKubelet.markAllReady(client, "recreate", clock);
            return rolledOut("recreate", "nginx:2");
        });
        assertThat(client.pods().inNamespace("recreate").list().getItems()).hasSize(3)
                .allSatisfy(pod -> assertThat(pod.getSpec().getContainers().getFirst().getImage()).isEqualTo("nginx:2"));
    }

    @Test
    void aNameTakenByAnotherTemplateBumpsTheCollisionCount() {
        namespace("collide");
        Deployment paused = create("collide", 1, 1, 0, 600, 10, true);
        String hash = TemplateHash.compute(paused.getSpec().getTemplate(), null);
        client.apps().replicaSets().inNamespace("collide").resource(new ReplicaSetBuilder().withNewMetadata()
                .withName("web-" + hash).endMetadata().withNewSpec().withReplicas(0)
                .withNewSelector().addToMatchLabels("app", "other").endSelector().withNewTemplate()
                .withNewMetadata().addToLabels("app", "other").endMetadata().withNewSpec().addNewContainer()
                .withName("x").withImage("x").endContainer().endSpec().endTemplate().endSpec().build()).create();
        edit("collide", d -> new DeploymentBuilder(d)
                .editSpec().withPaused(false).endSpec().build());

        driveRollout("collide", "nginx:1", 1, 1);
        assertThat(get("collide").getStatus().getCollisionCount()).isEqualTo(1);
        assertThat(replicaSets("collide")).extracting(rs -> rs.getMetadata().getName())
                .containsExactlyInAnyOrder("web-" + hash,
                        "web-" + TemplateHash.compute(paused.getSpec().getTemplate(), 1));
    }

    @Test
    void aRolloutWithoutProgressPastItsDeadlineIsReported() {
        namespace("stuck");
        create("stuck", 2, 1, 0, 30, 10);
        // Once both pods exist (and are never ready) the rollout stops making progress.
        await().atMost(Duration.ofSeconds(10)).until(() -> condition("stuck", DeploymentStatuses.PROGRESSING) != null
                && Integer.valueOf(2).equals(get("stuck").getStatus().getUpdatedReplicas()));
        assertThat(condition("stuck", DeploymentStatuses.PROGRESSING).getReason())
                .isIn("NewReplicaSetCreated", "ReplicaSetUpdated");
        assertThat(condition("stuck", DeploymentStatuses.AVAILABLE).getStatus()).isEqualTo("False");

        clock.advance(Duration.ofSeconds(31));
        deployments.queue().add(new ObjectKey("stuck", "web")); // its requeue waits in real time
        await().atMost(Duration.ofSeconds(10)).until(() -> "ProgressDeadlineExceeded".equals(
                condition("stuck", DeploymentStatuses.PROGRESSING).getReason()));
        DeploymentCondition timedOut = condition("stuck", DeploymentStatuses.PROGRESSING);
        assertThat(timedOut.getStatus()).isEqualTo("False");
        assertThat(timedOut.getMessage()).matches("ReplicaSet \"web-\\w+\" has timed out progressing.");
    }

    @Test
    void pausingAndResumingAreReportedAndOldReplicaSetsBeyondTheHistoryLimitGo() {
        namespace("pause");
        create("pause", 2, 1, 0, 600, 1);
        driveRollout("pause", "nginx:1", 2, 1);
        edit("pause", d -> new DeploymentBuilder(d)
                .editSpec().withPaused(true).endSpec().build());
        await().atMost(Duration.ofSeconds(10)).until(() -> "DeploymentPaused".equals(
                condition("pause", DeploymentStatuses.PROGRESSING).getReason()));
        setImage("pause", "nginx:2");
        await().atMost(Duration.ofSeconds(10)).until(() -> get("pause").getStatus().getObservedGeneration() == 3L);
        assertThat(replicaSets("pause")).hasSize(1);

        edit("pause", d -> new DeploymentBuilder(d)
                .editSpec().withPaused(false).endSpec().build());
        driveRollout("pause", "nginx:2", 2, 1);
        setImage("pause", "nginx:3");
        driveRollout("pause", "nginx:3", 2, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> replicaSets("pause").size() == 2);
        assertThat(get("pause").getMetadata().getAnnotations()).containsEntry(Revisions.REVISION, "3");
    }
}

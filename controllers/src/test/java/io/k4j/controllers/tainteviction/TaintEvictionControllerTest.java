package io.k4j.controllers.tainteviction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.client.testing.MutableClock;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.Pods;
import io.k4j.controllers.nodelifecycle.NodeFixtures;
import io.k4j.controllers.runtime.ControllerLoop;
import io.k4j.controllers.testing.ControllerHarness;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TaintEvictionControllerTest {

    static ControllerHarness harness;
    static MutableClock clock;
    static ControllerLoop loop;
    static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        harness = ControllerHarness.start();
        client = harness.client();
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        loop = harness.run(TaintEvictionController.NAME, new TaintEvictionController(), clock, 0); // driven by hand
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("apps").endMetadata().build())
                .create();
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @Test
    void podsLeaveAnUnreachableNodeAfterTheirTolerationSeconds() {
        Node node = NodeFixtures.readyNode(client, "lost", clock.instant());
        Pod patient = podWithToleration("patient", "lost", 300L);
        Pod hasty = podWithToleration("hasty", "lost", 2L);
        taint(node, "node.kubernetes.io/unreachable", clock.instant());

        reconcile("lost");
        assertThat(deleting("hasty")).isFalse();
        clock.advance(Duration.ofSeconds(2));
        reconcile("lost");

        Pod evicted = client.pods().inNamespace("apps").withName("hasty").get();
        assertThat(evicted == null || evicted.getMetadata().getDeletionTimestamp() != null).isTrue();
        if (evicted != null) {
            var target = Pods.condition(evicted, "DisruptionTarget");
            assertThat(target.getReason()).isEqualTo("DeletionByTaintManager");
            assertThat(target.getMessage()).isEqualTo("Taint manager: deleting due to NoExecute taint");
        }
        assertThat(deleting("patient")).isFalse();
        assertThat(patient).isNotNull();
        assertThat(hasty).isNotNull();

        untaint("lost");
        reconcile("lost");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.v1().events().inNamespace("apps").list().getItems()
                .stream().anyMatch(e -> "Cancelling deletion of Pod apps/patient".equals(e.getMessage())));
        assertThat(deleting("patient")).isFalse();
        assertThat(client.v1().events().inNamespace("apps").list().getItems()).extracting(e -> e.getMessage())
                .doesNotContain("Cancelling deletion of Pod apps/hasty").contains("Marking for deletion Pod apps/hasty");
    }

    private static void untaint(String name) {
        Node latest = client.nodes().withName(name).get();
        Node untainted = client.nodes().resource(new NodeBuilder(latest).editSpec().withTaints().endSpec().build())
                .update();
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.context().cache(Node.class).get(ObjectKey.of(untainted))
                .map(cached -> cached.getMetadata().getResourceVersion().equals(untainted.getMetadata().getResourceVersion()))
                .orElse(false));
    }

    @Test
    void aPodThatDoesNotTolerateANoExecuteTaintGoesAtOnce() {
        Node node = NodeFixtures.readyNode(client, "dedicated", clock.instant());
        podWithToleration("intruder", "dedicated", null);
        taint(node, "dedicated", clock.instant());
        reconcile("dedicated");
        assertThat(deleting("intruder")).isTrue();
    }

    private static Pod podWithToleration(String name, String node, Long seconds) {
        var builder = new PodBuilder().withNewMetadata().withName(name).withNamespace("apps").endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("busybox").endContainer();
        if (seconds != null) {
            builder = builder.addNewToleration().withKey("node.kubernetes.io/unreachable").withOperator("Exists")
                    .withEffect("NoExecute").withTolerationSeconds(seconds).endToleration();
        }
        Pod pod = client.pods().inNamespace("apps").resource(builder.endSpec().build()).create();
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.context().cache(Pod.class).get(ObjectKey.of(pod))
                .isPresent());
        return pod;
    }

    private static void taint(Node node, String key, Instant added) {
        Node latest = client.nodes().withName(node.getMetadata().getName()).get();
        Node tainted = client.nodes().resource(new NodeBuilder(latest).editSpec().addToTaints(new TaintBuilder()
                .withKey(key).withEffect("NoExecute").withTimeAdded(added.toString()).build()).endSpec().build()).update();
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.context().cache(Node.class).get(ObjectKey.of(tainted))
                .map(cached -> cached.getMetadata().getResourceVersion().equals(tainted.getMetadata().getResourceVersion()))
                .orElse(false));
    }

    private static void reconcile(String node) {
        loop.processOne(ObjectKey.cluster(node));
    }

    private static boolean deleting(String name) {
        Pod pod = client.pods().inNamespace("apps").withName(name).get();
        return pod == null || pod.getMetadata().getDeletionTimestamp() != null;
    }
}

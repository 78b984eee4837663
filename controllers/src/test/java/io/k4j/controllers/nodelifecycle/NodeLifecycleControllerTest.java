package io.k4j.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.client.testing.MutableClock;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.Pods;
import io.k4j.controllers.runtime.ControllerLoop;
import io.k4j.controllers.testing.ControllerHarness;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeLifecycleControllerTest {

    static ControllerHarness harness;
    static MutableClock clock;
    static NodeLifecycleController controller;
    static ControllerLoop loop;
    static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        harness = ControllerHarness.start();
        client = harness.client();
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        controller = new NodeLifecycleController(Duration.ofSeconds(40), Duration.ofSeconds(60));
        loop = harness.run(NodeLifecycleController.NAME, controller, clock, 0); // driven by hand
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("apps").endMetadata().build())
                .create();
        NodeFixtures.readyNode(client, "healthy", clock.instant());
        reconcile("healthy"); // first seen now: its grace period starts
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @Test
    @Order(1)
    void aSilentNodeGoesUnknownIsTaintedUnreachableAndRecoversWhenItsKubeletReturns() {
        Node node = NodeFixtures.readyNode(client, "silent", clock.instant());
        NodeFixtures.readyPod(client, "apps", "web", "silent");
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.context().cache(io.fabric8.kubernetes.api.model.Pod.class)
                .get(new ObjectKey("apps", "web")).filter(Pods::isReady).isPresent());
        reconcile("silent");

        clock.advance(Duration.ofSeconds(39));
        reconcile("silent");
        assertThat(NodeConditions.readyStatus(node("silent"))).isEqualTo("True");

        clock.advance(Duration.ofSeconds(1));
        reconcile("silent");
        Node silent = node("silent");
        var ready = NodeConditions.find(silent, "Ready");
        assertThat(ready.getStatus()).isEqualTo("Unknown");
        assertThat(ready.getReason()).isEqualTo("NodeStatusUnknown");
        assertThat(ready.getMessage()).isEqualTo("Kubelet stopped posting node status.");
        assertThat(NodeConditions.find(silent, "MemoryPressure").getStatus()).isEqualTo("Unknown");
        assertThat(taints("silent")).extracting(t -> t.getKey() + ":" + t.getEffect()).containsExactlyInAnyOrder(
                "node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule");
        assertThat(taints("silent")).filteredOn(t -> t.getEffect().equals("NoExecute"))
                .extracting(Taint::getTimeAdded).containsExactly(clock.instant().toString());
        assertThat(Pods.isReady(client.pods().inNamespace("apps").withName("web").get())).isFalse();

        NodeFixtures.renewLease(client, "silent", clock.instant());
        NodeFixtures.postReady(client, node, clock.instant());
        reconcile("silent");
        assertThat(taints("silent")).isEmpty();
        assertThat(NodeConditions.readyStatus(node("silent"))).isEqualTo("True");
    }

    @Test
    @Order(2)
    void aNodeThatNeverReportsGetsTheStartupGracePeriod() {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("newborn").endMetadata().build()).create();
        reconcile("newborn");
        Instant created = Instant.parse(node("newborn").getMetadata().getCreationTimestamp());
        // the grace period counts from the node's creation: move to just before its end, then to it
        clock.advance(Duration.between(clock.instant(), created.plusSeconds(59)));
        reconcile("newborn");
        assertThat(NodeConditions.find(node("newborn"), "Ready")).isNull();

        clock.advance(Duration.ofSeconds(1));
        reconcile("newborn");
        var ready = NodeConditions.find(node("newborn"), "Ready");
        assertThat(ready.getStatus()).isEqualTo("Unknown");
        assertThat(ready.getReason()).isEqualTo("NodeStatusNeverUpdated");
        assertThat(ready.getMessage()).isEqualTo("Kubelet never posted node status.");
        assertThat(taints("newborn")).extracting(t -> t.getKey() + ":" + t.getEffect()).containsExactlyInAnyOrder(
                "node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule");
    }

    @Test
    @Order(3)
    void aCordonedNodeIsTaintedUnschedulable() {
        NodeFixtures.readyNode(client, "cordoned", clock.instant());
        Node node = node("cordoned");
        client.nodes().resource(new NodeBuilder(node).editSpec().withUnschedulable(true).endSpec().build()).update();
        reconcile("cordoned");
        assertThat(taints("cordoned")).extracting(t -> t.getKey() + ":" + t.getEffect())
                .containsExactly("node.kubernetes.io/unschedulable:NoSchedule");
    }

    @Test
    @Order(4)
    void whenEveryNodeIsDownNoneGetsTheNoExecuteTaint() {
        clock.advance(Duration.ofMinutes(5));
        List<String> names = client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName()).toList();
        names.forEach(NodeLifecycleControllerTest::reconcile);
        names.forEach(NodeLifecycleControllerTest::awaitCached);
        reconcile(names.getFirst()); // sees every node down: the others are queued for another look
        drainQueue();
        for (Node node : client.nodes().list().getItems()) {
            assertThat(NodeConditions.readyStatus(node)).isEqualTo("Unknown");
            assertThat(taints(node.getMetadata().getName())).extracting(t -> t.getKey() + ":" + t.getEffect())
                    .contains("node.kubernetes.io/unreachable:NoSchedule")
                    .doesNotContain("node.kubernetes.io/unreachable:NoExecute");
        }
    }

    private static void drainQueue() {
        ObjectKey key;
        while ((key = loop.queue().poll()) != null) {
            String name = key.name();
            reconcile(name);
            loop.queue().done(key);
        }
    }

    /** Waits until the controller's caches show the node as the API does, then reconciles it once. */
    private static void reconcile(String name) {
        awaitCached(name);
        loop.processOne(ObjectKey.cluster(name));
    }

    private static void awaitCached(String name) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            var cached = loop.context().cache(Node.class).get(ObjectKey.cluster(name));
            var lease = loop.context().cache(io.fabric8.kubernetes.api.model.coordination.v1.Lease.class)
                    .get(new ObjectKey("kube-node-lease", name));
            var stored = client.resources(io.fabric8.kubernetes.api.model.coordination.v1.Lease.class)
                    .inNamespace("kube-node-lease").withName(name).get();
            return cached.isPresent() && cached.get().getMetadata().getResourceVersion()
                    .equals(node(name).getMetadata().getResourceVersion())
                    && (stored == null || lease.isPresent() && lease.get().getMetadata().getResourceVersion()
                            .equals(stored.getMetadata().getResourceVersion()));
        });
    }

    private static Node node(String name) {
        return client.nodes().withName(name).get();
    }

    private static List<Taint> taints(String name) {
        Node node = node(name);
        return node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
    }
}

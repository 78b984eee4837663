package io.k4j.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Four simulated nodes against fabric8's mock API server, on a clock the test moves. */
class SimulatedNodesTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final FakeTaskScheduler time = new FakeTaskScheduler(START);
    private KubernetesMockServer server;
    private KubernetesClient client;
    private SimulatedNodes nodes;

    @BeforeEach
    void start() throws InterruptedException {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), true);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = newClient();
        nodes = SimulatedNodes.builder().client(client).count(4).zones(2).scheduler(time)
                .leaseInterval(Duration.ofSeconds(10)).start();
    }

    private KubernetesClient newClient() {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(server.url("/"))
                .withTrustCerts(true).withNamespace("default").build()).build();
    }

    @AfterEach
    void stop() {
        nodes.close();
        client.close();
        server.destroy();
    }

    @Test
    void nodesAreRegisteredReadyInTheirZonesWithTheirOwnPodCidrs() {
        assertThat(nodes.nodeNames()).containsExactly("sim-node-0", "sim-node-1", "sim-node-2", "sim-node-3");
        Node node = client.nodes().withName("sim-node-3").get();
        assertThat(node.getMetadata().getLabels()).containsEntry("topology.kubernetes.io/zone", "zone-1")
                .containsEntry("type", "simulated").containsEntry("kubernetes.io/hostname", "sim-node-3");
        assertThat(node.getSpec().getPodCIDR()).isEqualTo("10.42.3.0/24");
        assertThat(node.getStatus().getConditions()).filteredOn(c -> c.getType().equals("Ready"))
                .singleElement().satisfies(ready -> assertThat(ready.getStatus()).isEqualTo("True"));
        assertThat(node.getStatus().getAllocatable()).isEqualTo(node.getStatus().getCapacity());
    }

    @Test
    void namedNodesComeAfterTheNumberedOnesInTheAddressPlan() throws InterruptedException {
        // Each extra set of nodes has a client of its own, closed with it, so none of its watches outlives the test
        // and keeps the mock server from shutting down.
        try (KubernetesClient own = newClient();
             SimulatedNodes machine = SimulatedNodes.builder().client(own).count(0).namedNodes(java.util.List.of("box-1"))
                .scheduler(time).start()) {
            assertThat(machine.nodeNames()).containsExactly("box-1");
            assertThat(client.nodes().withName("box-1").get().getSpec().getPodCIDR()).isEqualTo("10.42.0.0/24");
        }
        try (KubernetesClient own = newClient(); SimulatedNodes both = SimulatedNodes.builder().client(own).count(2)
                .namedNodes(java.util.List.of("box-2")).scheduler(time).start()) {
            assertThat(both.nodeNames()).containsExactly("sim-node-0", "sim-node-1", "box-2");
            assertThat(client.nodes().withName("box-2").get().getSpec().getPodCIDR()).isEqualTo("10.42.2.0/24");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SimulatedNodes.builder().client(client).count(0).start())
                .hasMessage("simulated nodes: 0 is not in 1..32768");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SimulatedNodes.builder().client(client).count(1)
                .namedNodes(java.util.List.of("sim-node-0")).start()).hasMessageContaining("named nodes must differ");
    }

    @Test
    void aNodeStatusChangedByAnotherClientIsReportedAgainAtOnce() {
        Node node = client.nodes().withName("sim-node-2").get();
        node.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready")).forEach(ready -> {
            ready.setStatus("Unknown");
            ready.setReason("NodeStatusUnknown");
        });
        client.nodes().resource(node).updateStatus();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.nodes().withName("sim-node-2").get().getStatus()
                .getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")));
    }

    @Test
    void leaseRenewalsAreSpreadEvenlyOverTheInterval() {
        assertThat(renewTime("sim-node-0")).isEqualTo(START);
        time.advance(Duration.ofMillis(2500)); // node 0 renews at 2.5 s, node 1 at 5 s, ..., node 3 at 10 s
        await().atMost(Duration.ofSeconds(10)).until(() -> renewTime("sim-node-0").equals(START.plusMillis(2500)));
        assertThat(renewTime("sim-node-1")).isEqualTo(START);
        time.advance(Duration.ofMillis(7500));
        await().atMost(Duration.ofSeconds(10)).until(() -> renewTime("sim-node-3").equals(START.plusSeconds(10)));
        assertThat(client.resources(Lease.class).inNamespace("kube-node-lease").withName("sim-node-3").get()
                .getSpec().getLeaseDurationSeconds()).isEqualTo(40);
    }

    @Test
    void aPodRunsThenSucceedsWhenItsExitAfterHasPassedAndFreesItsIpWhenDeleted() {
        client.pods().resource(new PodBuilder()
                .withNewMetadata().withName("job").withNamespace("default")
                .addToAnnotations(PodScript.EXIT_AFTER, "3s").endMetadata()
                .withNewSpec().withNodeName("sim-node-1").withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage("busybox").endContainer().endSpec()
                .build()).create();
        await().atMost(Duration.ofSeconds(10)).until(() -> "Running".equals(phase("job")));
        assertThat(client.pods().withName("job").get().getStatus().getPodIP()).startsWith("10.42.1.");
        int timers = 2 * 4; // a lease and a status report per node
        await().atMost(Duration.ofSeconds(10)).until(() -> time.pending() == timers + 1); // the pod's exit
        time.advance(Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(10)).until(() -> "Succeeded".equals(phase("job")));
        Pod done = client.pods().withName("job").get();
        assertThat(done.getStatus().getContainerStatuses().get(0).getState().getTerminated().getFinishedAt())
                .isEqualTo("2026-01-01T00:00:03Z");
        assertThat(nodes.actedPods()).isEqualTo(1);
        client.pods().withName("job").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> nodes.actedPods() == 0);
    }

    @Test
    void aNodeAnnotatedHeartbeatStoppedPlaysDeadUntilTheAnnotationGoes() {
        annotate("sim-node-1", "stopped");
        await().atMost(Duration.ofSeconds(10)).until(() -> nodes.beating("sim-node-1") == false);
        client.pods().resource(new PodBuilder()
                .withNewMetadata().withName("stranded").withNamespace("default").endMetadata()
                .withNewSpec().withNodeName("sim-node-1")
                .addNewContainer().withName("main").withImage("busybox").endContainer().endSpec()
                .build()).create();
        time.advance(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> renewTime("sim-node-3").equals(START.plusSeconds(10)));
        assertThat(renewTime("sim-node-1")).isEqualTo(START);
        assertThat(phase("stranded")).isNull();

        annotate("sim-node-1", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> renewTime("sim-node-1").equals(START.plusSeconds(10)));
        await().atMost(Duration.ofSeconds(10)).until(() -> "Running".equals(phase("stranded")));
    }

    private void annotate(String node, String heartbeat) {
        client.nodes().withName(node).edit(n -> {
            if (heartbeat == null) {
                n.getMetadata().getAnnotations().remove(Heartbeats.ANNOTATION);
            } else {
                n.getMetadata().getAnnotations().put(Heartbeats.ANNOTATION, heartbeat);
            }
            return n;
        });
    }

    private String phase(String pod) {
        Pod stored = client.pods().withName(pod).get();
        return stored == null || stored.getStatus() == null ? null : stored.getStatus().getPhase();
    }

    private Instant renewTime(String node) {
        return client.resources(Lease.class).inNamespace("kube-node-lease").withName(node).get().getSpec()
                .getRenewTime().toInstant();
    }
}

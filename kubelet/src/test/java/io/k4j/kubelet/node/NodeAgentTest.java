package io.k4j.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.k4j.apiserver.server.ApiServer;
import io.k4j.client.testing.MutableClock;
import io.k4j.store.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** The node agent against a real API server in this JVM, on a clock the test moves. */
class NodeAgentTest {

    @TempDir
    static Path dir;

    static SqliteStore store;
    static ApiServer server;
    static KubernetesClient client;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T01:00:00Z"));
    private final List<String> notReady = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        store = SqliteStore.open(dir.resolve("db/state.db"));
        server = ApiServer.builder().dataDir(dir).store(store).listen("127.0.0.1", 0).version("test").start();
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(server.kubeconfig()))).build();
    }

    @AfterAll
    static void stopServer() {
        client.close();
        server.close();
        store.close();
    }

    private NodeAgent agent(String name) {
        return NodeAgent.builder().client(client).nodeName(name).nodeIp("10.0.0.5").hostname(name).kubeletPort(10250)
                .machine(NodeResourcesTest.MACHINE).signals(() -> NodeResourcesTest.SIGNALS)
                .containerRuntimeVersion("runc://1.1.5").labels(Map.of("team", "a"))
                .taints(List.of(new TaintBuilder().withKey("dedicated").withValue("a").withEffect("NoSchedule").build()))
                .readiness(() -> List.copyOf(notReady)).clock(clock).build();
    }

    private static String name(TestInfo test) {
        return test.getTestMethod().orElseThrow().getName().toLowerCase().replaceAll("[^a-z0-9]", "-");
    }

    @Test
    void registersTheNodeWithLabelsStatusAndTaints(TestInfo test) {
        try (NodeAgent agent = agent(name(test))) {
            agent.register();
        }

        Node node = client.nodes().withName(name(test)).get();
        assertThat(node.getMetadata().getLabels()).containsEntry("kubernetes.io/hostname", name(test))
                .containsEntry("kubernetes.io/os", "linux").containsEntry("kubernetes.io/arch", "amd64")
                .containsEntry("beta.kubernetes.io/os", "linux").containsEntry("beta.kubernetes.io/arch", "amd64")
                .containsEntry("node.kubernetes.io/instance-type", "k4j").containsEntry("team", "a");
        assertThat(node.getSpec().getTaints()).extracting(t -> t.getKey() + "=" + t.getValue() + ":" + t.getEffect())
                .containsExactly("dedicated=a:NoSchedule");
        assertThat(node.getStatus().getCapacity().get("memory").toString()).isEqualTo("24578596Ki");
        assertThat(node.getStatus().getAllocatable().get("memory").toString()).isEqualTo("24476196Ki");
        assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.32.0+k4j");
        assertThat(node.getStatus().getAddresses()).extracting(a -> a.getType() + "=" + a.getAddress())
                .containsExactly("InternalIP=10.0.0.5", "Hostname=" + name(test));
        assertThat(ready(node).getStatus()).isEqualTo("True");
    }

    @Test
    void adoptsAnExistingNodeKeepingWhatOthersSet(TestInfo test) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name(test))
                .addToLabels("kubernetes.io/os", "windows").addToLabels("zone", "z1").endMetadata()
                .withNewSpec().withUnschedulable(true).withPodCIDR("10.42.7.0/24").withPodCIDRs("10.42.7.0/24")
                .addNewTaint().withKey("maintenance").withEffect("NoExecute").endTaint().endSpec().build()).create();

        try (NodeAgent agent = agent(name(test))) {
            agent.register();
        }

        Node node = client.nodes().withName(name(test)).get();
        assertThat(node.getMetadata().getLabels()).containsEntry("kubernetes.io/os", "linux").containsEntry("zone", "z1");
        assertThat(node.getSpec().getUnschedulable()).isTrue();
        assertThat(node.getSpec().getTaints()).extracting(t -> t.getKey()).containsExactly("maintenance");
        assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion()).isEqualTo("runc://1.1.5");
    }

    @Test
    void heartbeatsAreWrittenOnlyOnChangeOrEveryFiveMinutes(TestInfo test) {
        try (NodeAgent agent = agent(name(test))) {
            agent.register();
            String registered = ready(get(test)).getLastHeartbeatTime();
            String version = get(test).getMetadata().getResourceVersion();

            clock.advance(Duration.ofSeconds(10));
            agent.syncStatus();
            assertThat(get(test).getMetadata().getResourceVersion()).as("nothing changed: no write").isEqualTo(version);

            clock.advance(Duration.ofSeconds(10));
            notReady.add("container runtime is down");
            agent.syncStatus();
            NodeCondition notReadyNow = ready(get(test));
            assertThat(notReadyNow.getStatus()).isEqualTo("False");
            assertThat(notReadyNow.getReason()).isEqualTo("KubeletNotReady");
            assertThat(notReadyNow.getMessage()).isEqualTo("container runtime is down");
            assertThat(notReadyNow.getLastTransitionTime()).isEqualTo("2026-11-27T01:00:20Z");
            assertThat(notReadyNow.getLastHeartbeatTime()).isEqualTo("2026-11-27T01:00:20Z");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(client.v1().events().inNamespace("default").list().getItems())
                            .filteredOn(event -> name(test).equals(event.getInvolvedObject().getName()))
                            .extracting(event -> event.getReason() + ": " + event.getMessage())
                            .contains("NodeHasSufficientMemory: Node " + name(test) + " status is now: NodeHasSufficientMemory",
                                    "NodeReady: Node " + name(test) + " status is now: NodeReady",
                                    "NodeNotReady: Node " + name(test) + " status is now: NodeNotReady"));

            clock.advance(Duration.ofMinutes(4));
            agent.syncStatus();
            assertThat(ready(get(test)).getLastHeartbeatTime()).isEqualTo("2026-11-27T01:00:20Z");

            clock.advance(Duration.ofMinutes(1));
            agent.syncStatus();
            NodeCondition reported = ready(get(test));
            assertThat(reported.getLastHeartbeatTime()).as("the 5-minute report").isEqualTo("2026-11-27T01:05:20Z");
            assertThat(reported.getLastTransitionTime()).isEqualTo("2026-11-27T01:00:20Z");
            assertThat(registered).isEqualTo("2026-11-27T01:00:00Z");
        }
    }

    @Test
    void theDefaultReadinessWaitsForThePodCidr(TestInfo test) {
        List<String> cidrs = new ArrayList<>();
        try (NodeAgent agent = NodeAgent.builder().client(client).nodeName(name(test)).nodeIp("10.0.0.6")
                .machine(NodeResourcesTest.MACHINE).signals(() -> NodeResourcesTest.SIGNALS).clock(clock)
                .podCidrListener(cidrs::add).build()) {
            agent.register();
            assertThat(ready(get(test)).getMessage()).isEqualTo(NodeAgent.NETWORK_NOT_READY);

            client.nodes().withName(name(test)).edit(node -> new NodeBuilder(node).editSpec()
                    .withPodCIDR("10.42.3.0/24").withPodCIDRs("10.42.3.0/24").endSpec().build());
            clock.advance(Duration.ofSeconds(10));
            agent.syncStatus();

            assertThat(cidrs).containsExactly("10.42.3.0/24");
            assertThat(agent.podCidr()).isEqualTo("10.42.3.0/24");
            assertThat(ready(get(test)).getStatus()).isEqualTo("True");
        }
    }

    @Test
    void theLeaseIsHeldByTheNodeAndOwnedByIt(TestInfo test) {
        try (NodeAgent agent = agent(name(test))) {
            agent.register();
            agent.renewLease();
            clock.advance(Duration.ofSeconds(10));
            agent.renewLease();
        }

        Lease lease = client.resources(Lease.class).inNamespace("kube-node-lease").withName(name(test)).get();
        Node node = get(test);
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(name(test));
        assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
        assertThat(lease.getSpec().getRenewTime().toInstant()).isEqualTo(Instant.parse("2026-11-27T01:00:10Z"));
        assertThat(lease.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getApiVersion()).isEqualTo("v1");
            assertThat(owner.getKind()).isEqualTo("Node");
            assertThat(owner.getName()).isEqualTo(name(test));
            assertThat(owner.getUid()).isEqualTo(node.getMetadata().getUid());
        });
    }

    @Test
    void aDeletedNodeIsRegisteredAgain(TestInfo test) {
        try (NodeAgent agent = agent(name(test))) {
            agent.register();
            client.nodes().withName(name(test)).delete();
            agent.syncStatus();
        }
        assertThat(get(test)).isNotNull();
    }

    @Test
    void joinsThroughTheServersCaAndCertificateEndpoints() throws Exception {
        String secret = Files.readString(dir.resolve("server/token")).trim();
        String full = Files.readString(dir.resolve("server/node-token")).trim();
        java.net.URI url = java.net.URI.create(server.url() + "/");
        Path tls = dir.resolve("agent-a/tls");

        ClusterJoin.TrustedCa ca = ClusterJoin.trustCa(url, JoinToken.parse(full), tls);
        var certificate = ServingCertificates.loadOrIssue(tls, "node-a", List.of("node-a", "host-a"),
                ServingCertificates.addresses("10.0.0.9"), ClusterJoin.firstCertificate(ca.pem()),
                ClusterJoin.servingCertificateIssuer(url, JoinToken.parse(full), ca), clock.instant());

        assertThat(ca.warning()).isNull();
        assertThat(ca.pem()).isEqualTo(Files.readAllBytes(dir.resolve("server/tls/ca.crt")));
        assertThat(full).isEqualTo(JoinToken.full(ca.pem(), secret));
        assertThat(certificate.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=system:node:node-a");
        assertThat(certificate.certificate().getSubjectAlternativeNames()).extracting(entry -> (Object) String.valueOf(entry.get(1)))
                .contains((Object) "node-a", "host-a", "10.0.0.9", "127.0.0.1");

        ClusterJoin.TrustedCa firstUse = ClusterJoin.trustCa(url, JoinToken.parse(secret), dir.resolve("agent-b/tls"));
        assertThat(firstUse.warning()).contains("trusted on first use");
        assertThatThrownBy(() -> ClusterJoin.trustCa(url, JoinToken.parse("K10" + "0".repeat(64) + "::server:" + secret),
                dir.resolve("agent-c/tls"))).hasMessageContaining("does not match the join token's CA hash");
        assertThatThrownBy(() -> ServingCertificates.loadOrIssue(dir.resolve("agent-d/tls"), "node-d", List.of("node-d"),
                ServingCertificates.addresses("10.0.0.10"), ClusterJoin.firstCertificate(ca.pem()),
                ClusterJoin.servingCertificateIssuer(url, JoinToken.parse("wrong"), ca), clock.instant()))
                .hasMessageContaining("401");
    }

    private Node get(TestInfo test) {
        return client.nodes().withName(name(test)).get();
    }

    private static NodeCondition ready(Node node) {
        return NodeConditionsTest.ready(node.getStatus().getConditions());
    }
}

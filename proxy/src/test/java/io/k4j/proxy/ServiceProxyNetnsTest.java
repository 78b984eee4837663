package io.k4j.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.kubelet.testing.TestApiServer;
import io.k4j.proxy.rules.EndpointInfo;
import io.k4j.proxy.rules.Jump;
import io.k4j.proxy.rules.NodeFacts;
import io.k4j.proxy.rules.RuleRenderer;
import io.k4j.proxy.rules.ServicePortInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The proxy against real iptables (both back ends) inside namespaces the test builds: a node with three pods,
 * two serving behind a Service, the third as a client.
 */
class ServiceProxyNetnsTest {

    private static final String NS = "proxy-test";
    private static TestApiServer api;

    @BeforeAll
    static void startApiServer() throws Exception {
        String reason = TestNode.skipReason();
        Assumptions.assumeTrue(reason == null, reason);
        api = TestApiServer.start();
        api.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
    }

    @AfterAll
    static void stopApiServer() throws Exception {
        if (api != null) {
            api.close();
        }
    }

    @ParameterizedTest
    @EnumSource(IptablesMode.class)
    void servicesWorkAndCloseLeavesNoTrace(IptablesMode mode) throws Exception {
        KubernetesClient client = api.client();
        String suffix = mode.name().toLowerCase();
        try (TestNode node = new TestNode()) {
            String pod1 = node.addPod(1);
            String pod2 = node.addPod(2);
            node.addPod(3);
            String client3 = node.podNamespace(3);
            String before = saveAll(node, mode);

            String web = "web-" + suffix;
            String empty = "empty-" + suffix;
            String clusterIp = mode == IptablesMode.NFT ? "10.43.1.10" : "10.43.2.10";
            String emptyIp = mode == IptablesMode.NFT ? "10.43.1.11" : "10.43.2.11";
            int nodePort = mode == IptablesMode.NFT ? 30080 : 30081;
            client.services().inNamespace(NS).resource(service(web, clusterIp, nodePort)).create();
            client.services().inNamespace(NS).resource(service(empty, emptyIp, 0)).create();
            client.discovery().v1().endpointSlices().inNamespace(NS).resource(slice(web, pod1, pod2)).create();

            ServiceLoadBalancer lb = new ServiceLoadBalancer(client, () -> List.of(TestNode.NODE_IP)).start();
            ServiceProxy proxy = ServiceProxy.builder().client(client).nodeName("node-a")
                    .nodeIps(() -> List.of(TestNode.NODE_IP)).iptables(node.iptables()).mode(mode).build().start();
            try {
                try {
                    await().atMost(Duration.ofSeconds(20)).until(() -> node.get(client3, clusterIp + ":80")
                            .startsWith("pod"));
                } catch (RuntimeException e) {
                    throw new AssertionError("no answer from the cluster IP (" + node.get(client3, clusterIp + ":80")
                            + "; direct: " + node.get(client3, pod1 + ":8080") + "); rules:\n" + saveAll(node, mode), e);
                }

                // ClusterIP from a pod spreads over both backends.
                assertThat(new HashSet<>(responses(node, client3, clusterIp + ":80", 20))).containsExactlyInAnyOrder("pod1", "pod2");
                // Hairpin: a backend reaching its own service.
                assertThat(responses(node, node.podNamespace(1), clusterIp + ":80", 6))
                        .allMatch(r -> r.startsWith("pod"));
                // NodePort on the node address and on 127.0.0.1, from the node itself.
                assertThat(node.get(node.node, TestNode.NODE_IP + ":" + nodePort)).startsWith("pod");
                assertThat(node.get(node.node, "127.0.0.1:" + nodePort)).startsWith("pod");
                // NodePort from a pod towards the node address.
                assertThat(node.get(client3, TestNode.NODE_IP + ":" + nodePort)).startsWith("pod");

                // LoadBalancer: the service load balancer publishes the node address, which then answers on port 80.
                await().atMost(Duration.ofSeconds(10)).until(() -> node.get(client3, TestNode.NODE_IP + ":80")
                        .startsWith("pod"));

                // No endpoints: refused at once rather than a timeout.
                long t0 = System.nanoTime();
                String refused = node.get(client3, emptyIp + ":80");
                assertThat(refused).contains("curl: (7)"); // failed to connect (refused), not (28) timed out
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));

                // Removing an endpoint takes it out of rotation within 2 s.
                client.discovery().v1().endpointSlices().inNamespace(NS).resource(slice(web, pod1)).update();
                await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100))
                        .until(() -> proxyHasOnly(node, mode, pod1));
                assertThat(responses(node, client3, clusterIp + ":80", 10)).containsOnly("pod1");
                // Hairpin, every time: the only backend reaching its own service.
                assertThat(responses(node, node.podNamespace(1), clusterIp + ":80", 3)).containsOnly("pod1");

                // Session affinity sticks to one backend.
                client.discovery().v1().endpointSlices().inNamespace(NS).resource(slice(web, pod1, pod2)).update();
                client.services().inNamespace(NS).withName(web).edit(s -> new ServiceBuilder(s).editSpec()
                        .withSessionAffinity("ClientIP").endSpec().build());
                await().atMost(Duration.ofSeconds(5)).until(() -> saveAll(node, mode).contains("--update --seconds"));
                List<String> sticky = responses(node, client3, clusterIp + ":80", 12);
                assertThat(new HashSet<>(sticky)).hasSize(1);
            } finally {
                proxy.close();
                lb.close();
                client.services().inNamespace(NS).withName(web).delete();
                client.services().inNamespace(NS).withName(empty).delete();
                client.discovery().v1().endpointSlices().inNamespace(NS).withName(web + "-abc").delete();
            }
            String after = saveAll(node, mode);
            assertThat(after).doesNotContain("KUBE-");
            assertThat(rules(after)).isEqualTo(rules(before));
        }
    }

    /** A UDP flow pinned to an endpoint that goes away is deleted, so the next datagram picks a live one. */
    @ParameterizedTest
    @EnumSource(IptablesMode.class)
    void staleUdpFlowsAreCleared(IptablesMode mode) throws Exception {
        KubernetesClient client = api.client();
        String name = "udp-" + mode.name().toLowerCase();
        String clusterIp = mode == IptablesMode.NFT ? "10.43.1.53" : "10.43.2.53";
        try (TestNode node = new TestNode()) {
            String pod1 = node.addPod(1);
            String pod2 = node.addPod(2);
            node.addPod(3);
            client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName(name)
                    .withNamespace(NS).endMetadata().withNewSpec().withClusterIP(clusterIp).addNewPort()
                    .withName("dns").withPort(53).withProtocol("UDP").endPort().endSpec().build()).create();
            client.discovery().v1().endpointSlices().inNamespace(NS).resource(udpSlice(name, pod2)).create();
            ServiceProxy proxy = ServiceProxy.builder().client(client).nodeName("node-a").iptables(node.iptables())
                    .mode(mode).build().start();
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    sendUdp(node, node.podNamespace(3), clusterIp);
                    return udpFlows(node).contains("src=" + pod2 + " ");
                });
                client.discovery().v1().endpointSlices().inNamespace(NS).resource(udpSlice(name, pod1)).update();
                await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                        .until(() -> saveAll(node, mode).contains("--to-destination " + pod1 + ":53"));
                // The sync deletes the flows right after applying the rules.
                await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                        .until(() -> !udpFlows(node).contains("src=" + pod2 + " "));
                sendUdp(node, node.podNamespace(3), clusterIp);
                assertThat(udpFlows(node)).contains("src=" + pod1 + " ");
            } finally {
                proxy.close();
                client.services().inNamespace(NS).withName(name).delete();
                client.discovery().v1().endpointSlices().inNamespace(NS).withName(name + "-abc").delete();
            }
        }
    }

    private static EndpointSlice udpSlice(String service, String ip) {
        return new EndpointSliceBuilder().withNewMetadata().withName(service + "-abc").withNamespace(NS)
                .addToLabels(ProxyState.SERVICE_NAME_LABEL, service).endMetadata().withAddressType("IPv4")
                .addNewPort().withName("dns").withPort(53).withProtocol("UDP").endPort()
                .addToEndpoints(new EndpointBuilder().withAddresses(ip).withNewConditions().withReady(true)
                        .endConditions().withNodeName("node-a").build()).build();
    }

    /** One datagram (bash's /dev/udp: busybox nc has no UDP here); nothing listens, the flow is what counts. */
    private static void sendUdp(TestNode node, String namespace, String ip) throws Exception {
        TestNode.exec(List.of("nsenter", "--net=/run/netns/" + namespace, "bash", "-c",
                "echo x > /dev/udp/" + ip + "/53"));
    }

    /** The node's UDP conntrack table (the reply direction names the endpoint as src). */
    private static String udpFlows(TestNode node) throws Exception {
        return TestNode.exec(List.of("nsenter", "--net=/run/netns/" + node.node, "conntrack", "-L", "-p", "udp")).out();
    }

    /** {@code k4j proxy --cleanup}: rules left by an earlier run (on either back end) all go. */
    @ParameterizedTest
    @EnumSource(IptablesMode.class)
    void cleanupRemovesLeftoversOfAnEarlierRun(IptablesMode mode) throws Exception {
        try (TestNode node = new TestNode()) {
            String before = saveAll(node, mode);
            Netfilter netfilter = new Netfilter(node.iptables(), mode);
            ServicePortInfo svc = ServicePortInfo.builder("ns", "left").clusterIp("10.43.9.9").port(80).nodePort(30099)
                    .endpoint(EndpointInfo.ready("10.42.0.99", 80, "node-a")).build();
            netfilter.restore(new RuleRenderer(new NodeFacts("node-a", List.of(), "10.42.0.0/16", true))
                    .render(List.of(svc), List.of()).text());
            for (Jump jump : Jump.ALL) {
                netfilter.ensure(jump);
            }
            assertThat(saveAll(node, mode)).contains("KUBE-SVC-", "-A PREROUTING");

            assertThat(ServiceProxy.cleanup(node.iptables())).isTrue();
            String after = saveAll(node, mode);
            assertThat(after).doesNotContain("KUBE-");
            assertThat(rules(after)).isEqualTo(rules(before));
        }
    }

    /** Polling the rules avoids guessing from random picks whether pod2 is gone. */
    private static boolean proxyHasOnly(TestNode node, IptablesMode mode, String ip) throws Exception {
        String nat = saveAll(node, mode);
        return nat.contains("--to-destination " + ip + ":8080") && !nat.contains("--to-destination 10.42.0.12:8080");
    }

    private static List<String> responses(TestNode node, String ns, String target, int n) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(node.get(ns, target));
        }
        return out;
    }

    private static String saveAll(TestNode node, IptablesMode mode) throws Exception {
        return node.inNode(mode.save()).out();
    }

    private static Set<String> rules(String save) {
        return save.lines().filter(l -> l.startsWith("-A ")).collect(Collectors.toSet());
    }

    private static Service service(String name, String clusterIp, int nodePort) {
        ServiceBuilder b = new ServiceBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withClusterIP(clusterIp).withType(nodePort == 0 ? "ClusterIP" : "LoadBalancer")
                .addNewPort().withName("http").withPort(80).withProtocol("TCP")
                .withNewTargetPort(8080).endPort().endSpec();
        if (nodePort != 0) {
            b.editSpec().editFirstPort().withNodePort(nodePort).endPort().endSpec();
        }
        return b.build();
    }

    static EndpointSlice slice(String service, String... ips) {
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withName(service + "-abc")
                .withNamespace(NS).addToLabels(ProxyState.SERVICE_NAME_LABEL, service).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort();
        for (String ip : ips) {
            b.addToEndpoints(new EndpointBuilder().withAddresses(ip).withNewConditions().withReady(true)
                    .withServing(true).withTerminating(false).endConditions().withNodeName("node-a").build());
        }
        return b.build();
    }
}

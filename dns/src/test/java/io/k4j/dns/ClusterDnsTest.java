package io.k4j.dns;

import static io.k4j.dns.testing.Queries.answers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.dns.testing.Queries;
import io.k4j.dns.testing.TinyUpstream;
import io.k4j.kubelet.testing.TestApiServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** ClusterDns against a real API server, queried over real UDP and TCP on loopback. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterDnsTest {

    private TestApiServer api;
    private KubernetesClient client;
    private TinyUpstream upstream;
    private ClusterDns dns;
    private String webIp;

    @BeforeAll
    void start() throws Exception {
        api = TestApiServer.start();
        client = api.client();
        upstream = new TinyUpstream(Map.of("www.example.test.", "192.0.2.10"));
        Service web = client.services().inNamespace("default").resource(new ServiceBuilder()
                .withNewMetadata().withName("web").withNamespace("default").endMetadata()
                .withNewSpec().addNewPort().withName("http").withProtocol("TCP").withPort(80).endPort().endSpec()
                .build()).create();
        webIp = web.getSpec().getClusterIP();
        client.services().inNamespace("default").resource(new ServiceBuilder()
                .withNewMetadata().withName("db").withNamespace("default").endMetadata()
                .withNewSpec().withClusterIP("None").addNewPort().withName("pg").withProtocol("TCP").withPort(5432)
                .endPort().endSpec().build()).create();
        client.discovery().v1().endpointSlices().inNamespace("default").resource(slice("db", "10.42.0.5", "10.42.0.6"))
                .create();
        dns = ClusterDns.builder().client(client).bindAddress(InetAddress.getLoopbackAddress()).port(0)
                .upstreams(List.of(upstream.address())).upstreamTimeout(Duration.ofSeconds(1)).build().start();
    }

    @AfterAll
    void stop() throws Exception {
        if (dns != null) {
            dns.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void answersServicesEndpointsAndPortsOverUdpAndTcp() throws Exception {
        for (boolean tcp : new boolean[] {false, true}) {
            assertThat(answers(ask("web.default.svc.cluster.local", Type.A, tcp))).containsExactly("A " + webIp);
            assertThat(answers(ask("db.default.svc.cluster.local", Type.A, tcp)))
                    .containsExactly("A 10.42.0.5", "A 10.42.0.6");
            assertThat(answers(ask("db-0.db.default.svc.cluster.local", Type.A, tcp)))
                    .containsExactly("A 10.42.0.5");
            assertThat(answers(ask("_pg._tcp.db.default.svc.cluster.local", Type.SRV, tcp))).containsExactly(
                    "SRV 0 50 5432 db-0.db.default.svc.cluster.local.",
                    "SRV 0 50 5432 db-1.db.default.svc.cluster.local.");
            assertThat(answers(ask(reverse(webIp), Type.PTR, tcp)))
                    .containsExactly("PTR web.default.svc.cluster.local.");
            Message missing = ask("missing.default.svc.cluster.local", Type.A, tcp);
            assertThat(missing.getRcode()).isEqualTo(Rcode.NXDOMAIN);
            assertThat(Queries.records(missing, org.xbill.DNS.Section.AUTHORITY)).singleElement()
                    .asString().startsWith("SOA ns.dns.cluster.local.");
        }
    }

    @Test
    void forwardsOtherNamesUpstreamAndCachesTheAnswers() throws Exception {
        assertThat(answers(ask("www.example.test", Type.A, false))).containsExactly("A 192.0.2.10");
        assertThat(answers(ask("www.example.test", Type.A, true))).containsExactly("A 192.0.2.10");
        assertThat(ask("nothing.example.test", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(ask("nothing.example.test", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);

        assertThat(upstream.asked()).containsExactly("www.example.test. A", "nothing.example.test. A");
        assertThat(dns.cache().hits()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void followsServiceAndEndpointChangesPromptly() throws Exception {
        client.services().inNamespace("default").resource(new ServiceBuilder()
                .withNewMetadata().withName("short-lived").withNamespace("default").endMetadata()
                .withNewSpec().withType("ExternalName").withExternalName("www.example.test").endSpec().build())
                .create();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(answers(ask("short-lived.default.svc.cluster.local", Type.A, false)))
                        .containsExactly("A 192.0.2.10", "CNAME www.example.test."));

        client.services().inNamespace("default").resource(new ServiceBuilder()
                .withNewMetadata().withName("mover").withNamespace("default").endMetadata()
                .withNewSpec().withClusterIP("None").endSpec().build()).create();
        client.discovery().v1().endpointSlices().inNamespace("default").resource(slice("mover", "10.42.3.1"))
                .create();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(answers(ask("mover.default.svc.cluster.local", Type.A, false)))
                        .containsExactly("A 10.42.3.1"));
        client.discovery().v1().endpointSlices().inNamespace("default").resource(slice("mover", "10.42.3.2"))
                .update();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(answers(ask("mover.default.svc.cluster.local", Type.A, false)))
                        .containsExactly("A 10.42.3.2"));

        client.services().inNamespace("default").withName("short-lived").delete();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(ask("short-lived.default.svc.cluster.local", Type.A, false).getRcode())
                        .isEqualTo(Rcode.NXDOMAIN));
    }

    @Test
    void theKubeDnsServicePointsAtTheNodeAndFollowsItsAddress() throws Exception {
        int port = dns.address().getPort();
        KubeDnsService.ensure(client, "10.43.0.10", InetAddress.getByName("10.0.0.1"), port);
        String version = slice().getMetadata().getResourceVersion();
        KubeDnsService.ensure(client, "10.43.0.10", InetAddress.getByName("10.0.0.1"), port);
        assertThat(slice().getMetadata().getResourceVersion()).isEqualTo(version);

        KubeDnsService.ensure(client, "10.43.0.10", InetAddress.getByName("10.0.0.2"), port);

        Service service = client.services().inNamespace("kube-system").withName("kube-dns").get();
        assertThat(service.getSpec().getClusterIP()).isEqualTo("10.43.0.10");
        assertThat(service.getSpec().getSelector()).isNullOrEmpty();
        assertThat(service.getMetadata().getLabels()).containsEntry("k8s-app", "kube-dns");
        assertThat(service.getSpec().getPorts()).extracting(p -> p.getName() + " " + p.getProtocol() + " "
                + p.getPort() + "->" + p.getTargetPort().getIntVal())
                .containsExactlyInAnyOrder("dns UDP 53->" + port, "dns-tcp TCP 53->" + port);
        assertThat(slice().getEndpoints()).singleElement()
                .satisfies(endpoint -> assertThat(endpoint.getAddresses()).containsExactly("10.0.0.2"));
        assertThat(slice().getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "kube-dns")
                .containsEntry("endpointslice.kubernetes.io/managed-by", KubeDnsService.MANAGED_BY);
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(answers(ask("kube-dns.kube-system.svc.cluster.local", Type.A, false)))
                        .containsExactly("A 10.43.0.10"));
    }

    private EndpointSlice slice() {
        return client.discovery().v1().endpointSlices().inNamespace("kube-system").withName(KubeDnsService.SLICE_NAME)
                .get();
    }

    private static EndpointSlice slice(String service, String... ips) {
        EndpointSliceBuilder slice = new EndpointSliceBuilder()
                .withNewMetadata().withName(service + "-abc").withNamespace("default")
                .withLabels(Map.of("kubernetes.io/service-name", service)).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("pg").withProtocol("TCP").withPort(5432).endPort();
        for (int i = 0; i < ips.length; i++) {
            slice.addNewEndpoint().withAddresses(ips[i]).withHostname("db-" + i)
                    .withNewConditions().withReady(true).endConditions().endEndpoint();
        }
        return slice.build();
    }

    private Message ask(String name, int type, boolean tcp) throws Exception {
        SimpleResolver resolver = new SimpleResolver(dns.address());
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(3));
        return resolver.send(Queries.query(name, type));
    }

    private static String reverse(String ip) {
        String[] parts = ip.split("\\.");
        return parts[3] + "." + parts[2] + "." + parts[1] + "." + parts[0] + ".in-addr.arpa";
    }
}

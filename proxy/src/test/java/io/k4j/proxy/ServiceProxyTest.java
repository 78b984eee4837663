package io.k4j.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.k4j.kubelet.testing.TestApiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Informers to iptables commands, against a real API server and an executor that records instead of running. */
class ServiceProxyTest {

    /** Records every command; iptables -C says "missing" so jumps get inserted; saves return nothing. */
    static final class RecordingIptables implements Iptables {
        final List<String> commands = new ArrayList<>();
        final List<String> restores = new ArrayList<>();

        @Override
        public synchronized Result exec(List<String> argv, String stdin) {
            commands.add(String.join(" ", argv));
            if (argv.getFirst().endsWith("-restore")) {
                restores.add(stdin);
            }
            boolean check = argv.contains("-C");
            return new Result(check ? 1 : 0, "", "");
        }

        synchronized List<String> commands() {
            return List.copyOf(commands);
        }

        synchronized String lastRestore() {
            return restores.isEmpty() ? "" : restores.getLast();
        }

        synchronized int restoreCount() {
            return restores.size();
        }
    }

    private static EndpointSlice dnsSlice(String... ips) {
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withNamespace("default")
                .withName("dns-1").addToLabels(ProxyState.SERVICE_NAME_LABEL, "dns").endMetadata()
                .withAddressType("IPv4").addNewPort().withName("dns").withPort(53).withProtocol("UDP").endPort();
        for (String ip : ips) {
            b.addToEndpoints(new EndpointBuilder().withAddresses(ip).withNewConditions().withReady(true)
                    .endConditions().build());
        }
        return b.build();
    }

    @Test
    void informerChangesBecomeRestoresJumpsAndConntrackDeletes() throws Exception {
        RecordingIptables iptables = new RecordingIptables();
        try (TestApiServer api = TestApiServer.start()) {
            var client = api.client();
            client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata()
                    .withName("dns").withNamespace("default").endMetadata().withNewSpec().withClusterIP("10.43.0.53")
                    .addNewPort().withName("dns").withPort(53).withProtocol("UDP").endPort().endSpec().build())
                    .create();
            client.discovery().v1().endpointSlices().inNamespace("default")
                    .resource(dnsSlice("10.42.0.5", "10.42.0.6")).create();
            ServiceProxy proxy = ServiceProxy.builder().client(client).nodeName("n").iptables(iptables)
                    .mode(IptablesMode.LEGACY).minSyncPeriod(Duration.ofMillis(200)).build().start();
            try {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> iptables.lastRestore().contains("--to-destination 10.42.0.6:53"));
                assertThat(iptables.lastRestore()).contains("--to-destination 10.42.0.5:53",
                        "-m udp -p udp -j DNAT");
                assertThat(iptables.commands()).contains("sysctl -q -w net.ipv4.conf.all.route_localnet=1",
                        "iptables-legacy -w 5 -t nat -I PREROUTING -m comment --comment kubernetes service portals"
                                + " -j KUBE-SERVICES");
                assertThat(proxy.lastSync().full()).isTrue();

                client.discovery().v1().endpointSlices().inNamespace("default").resource(dnsSlice("10.42.0.5"))
                        .update();
                await().atMost(Duration.ofSeconds(10)).until(() -> iptables.commands()
                        .contains("conntrack -D --orig-dst 10.43.0.53 --dst-nat 10.42.0.6 -p udp"));
                assertThat(iptables.lastRestore()).doesNotContain("10.42.0.6:53");
                assertThat(proxy.lastSync().full()).isFalse();
                // A partial sync leaves the other service (the API server's default/kubernetes) alone.
                assertThat(proxy.lastSync().servicePorts()).isEqualTo(2);
                assertThat(proxy.lastSync().unchangedServicePorts()).isEqualTo(1);
            } finally {
                proxy.close();
            }
            // close() cleans both tables (saves return nothing here, so no restore is needed).
            assertThat(iptables.commands()).contains("iptables-legacy-save -t nat", "iptables-legacy-save -t filter");
        }
    }
}

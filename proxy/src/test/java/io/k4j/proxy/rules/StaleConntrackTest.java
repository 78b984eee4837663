package io.k4j.proxy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StaleConntrackTest {

    private static ServicePortInfo.Builder dns() {
        return ServicePortInfo.builder("kube-system", "kube-dns").portName("dns").protocol("UDP")
                .clusterIp("10.43.0.10").port(53).nodePort(30053);
    }

    private static final EndpointInfo A = EndpointInfo.ready("10.42.0.5", 53, "n");
    private static final EndpointInfo B = EndpointInfo.ready("10.42.0.6", 53, "n");

    @Test
    void removedUdpEndpointsLoseTheirFlows() {
        assertThat(StaleConntrack.commands(List.of(dns().endpoint(A).endpoint(B).build()),
                List.of(dns().endpoint(A).build()), "n")).containsExactly(
                List.of("-D", "--orig-dst", "10.43.0.10", "--dst-nat", "10.42.0.6", "-p", "udp"),
                List.of("-D", "-p", "udp", "--orig-port-dst", "30053", "--dst-nat", "10.42.0.6"));
    }

    @Test
    void firstEndpointsClearFlowsRecordedWithoutDnat() {
        assertThat(StaleConntrack.commands(List.of(dns().build()), List.of(dns().endpoint(A).build()), "n"))
                .containsExactly(List.of("-D", "--orig-dst", "10.43.0.10", "-p", "udp"),
                        List.of("-D", "-p", "udp", "--orig-port-dst", "30053"));
    }

    @Test
    void deletedServiceLosesItsFlowsAndTcpNeedsNothing() {
        assertThat(StaleConntrack.commands(List.of(dns().endpoint(A).build()), List.of(), "n")).hasSize(2);
        ServicePortInfo tcp = dns().protocol("TCP").endpoint(A).build();
        assertThat(StaleConntrack.commands(List.of(tcp), List.of(), "n")).isEmpty();
        assertThat(StaleConntrack.commands(List.of(dns().endpoint(A).build()), List.of(dns().endpoint(A).build()),
                "n")).isEmpty();
    }
}

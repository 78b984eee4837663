package io.k4j.dns.kube;

import static io.k4j.dns.testing.Queries.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.k4j.dns.zone.EndpointEntry;
import io.k4j.dns.zone.PortEntry;
import io.k4j.dns.zone.ServiceEntry;
import io.k4j.dns.zone.ServiceKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubeRecordsTest {

    @Test
    void aClusterIpServiceKeepsAllItsFamiliesAndPorts() {
        Service service = service().editSpec().withClusterIP("10.43.0.7").withClusterIPs("10.43.0.7", "fd00:43::7")
                .addNewPort().withName("HTTP").withProtocol("TCP").withPort(80).endPort()
                .addNewPort().withProtocol("UDP").withPort(53).endPort().endSpec().build();

        ServiceEntry entry = KubeRecords.service(service).orElseThrow();

        assertThat(entry.kind()).isEqualTo(ServiceEntry.Kind.CLUSTER_IP);
        assertThat(entry.clusterIps()).containsExactly(ip("10.43.0.7"), ip("fd00:43::7"));
        assertThat(entry.ports()).containsExactly(new PortEntry("http", "tcp", 80), new PortEntry("", "udp", 53));
        assertThat(entry.name()).isEqualTo("web");
    }

    @Test
    void headlessExternalNameAndUnallocatedServices() {
        assertThat(KubeRecords.service(service().editSpec().withClusterIP("None")
                .withPublishNotReadyAddresses(true).endSpec().build()))
                .hasValueSatisfying(entry -> {
                    assertThat(entry.kind()).isEqualTo(ServiceEntry.Kind.HEADLESS);
                    assertThat(entry.publishNotReadyAddresses()).isTrue();
                });
        assertThat(KubeRecords.service(service().editSpec().withType("ExternalName").withExternalName("db.example")
                .endSpec().build())).hasValueSatisfying(entry -> assertThat(entry.externalName())
                        .isEqualTo("db.example"));
        assertThat(KubeRecords.service(service().editSpec().withType("ExternalName").endSpec().build())).isEmpty();
        assertThat(KubeRecords.service(service().build())).isEmpty();
        assertThat(KubeRecords.service(service().editSpec().withClusterIP("not-an-ip").endSpec().build())).isEmpty();
    }

    @Test
    void sliceEndpointsAreReadyUnlessSaidOtherwise() {
        EndpointSlice slice = slice("IPv4")
                .addNewEndpoint().withAddresses("10.42.0.5").withHostname("db-0").endEndpoint()
                .addNewEndpoint().withAddresses("10.42.0.6").withNewConditions().withReady(false).endConditions()
                .endEndpoint().build();

        assertThat(KubeRecords.owner(slice)).contains(new ServiceKey("default", "db"));
        assertThat(KubeRecords.endpoints(slice)).containsExactly(
                new EndpointEntry(List.of(ip("10.42.0.5")), "db-0", true, List.of(new PortEntry("pg", "TCP", 5432))),
                new EndpointEntry(List.of(ip("10.42.0.6")), null, false, List.of(new PortEntry("pg", "TCP", 5432))));
        assertThat(KubeRecords.endpoints(slice("FQDN").addNewEndpoint().withAddresses("db.example").endEndpoint()
                .build())).isEmpty();
        assertThat(KubeRecords.owner(new EndpointSliceBuilder().withNewMetadata().withName("orphan")
                .withNamespace("default").endMetadata().build())).isEmpty();
    }

    private static ServiceBuilder service() {
        return new ServiceBuilder().withNewMetadata().withNamespace("default").withName("web").endMetadata()
                .withNewSpec().endSpec();
    }

    private static EndpointSliceBuilder slice(String addressType) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace("default").withName("db-x")
                .withLabels(Map.of("kubernetes.io/service-name", "db")).endMetadata()
                .withAddressType(addressType)
                .addNewPort().withName("pg").withProtocol("TCP").withPort(5432).endPort();
    }
}

package io.k4j.controllers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubsetsTest {

    static EndpointAddress address(String ip) {
        return new EndpointAddressBuilder().withIp(ip).withNewTargetRef().withKind("Pod").withUid(ip).endTargetRef()
                .build();
    }

    static List<EndpointPort> port(int number) {
        return List.of(new EndpointPortBuilder().withName("http").withPort(number).withProtocol("TCP").build());
    }

    @Test
    void addressesWithTheSamePortsShareASubsetSortedByIp() {
        Subsets subsets = new Subsets();
        subsets.add(address("10.0.0.9"), port(80), true);
        subsets.add(address("10.0.0.10"), port(80), false);
        subsets.add(address("10.0.0.2"), port(80), true);
        subsets.add(address("10.0.0.3"), port(81), true);

        List<EndpointSubset> built = subsets.build();

        assertThat(built).hasSize(2);
        assertThat(built.get(0).getAddresses()).extracting(EndpointAddress::getIp).containsExactly("10.0.0.2",
                "10.0.0.9");
        assertThat(built.get(0).getNotReadyAddresses()).extracting(EndpointAddress::getIp).containsExactly("10.0.0.10");
        assertThat(built.get(1).getPorts().get(0).getPort()).isEqualTo(81);
    }

    @Test
    void atMostAThousandAddressesAreKeptReadyOnesFirst() {
        Subsets subsets = new Subsets();
        for (int i = 0; i < 600; i++) {
            subsets.add(address("10.1." + i / 250 + "." + i % 250), port(80), false);
            subsets.add(address("10.2." + i / 250 + "." + i % 250), port(80), true);
        }

        List<EndpointSubset> built = subsets.build();

        assertThat(subsets.total()).isEqualTo(1200);
        assertThat(built.get(0).getAddresses()).hasSize(600);
        assertThat(built.get(0).getNotReadyAddresses()).hasSize(400);
    }
}

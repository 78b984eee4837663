package io.k4j.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeAddressesTest {

    static final String ROUTES = """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            eth1\t0000A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
            eth0\t00000000\t0100A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
            """;

    @Test
    void aGivenAddressWins() {
        assertThat(NodeAddresses.pick(" 10.1.2.3 ", path -> Optional.of(ROUTES), name -> List.of()))
                .isEqualTo("10.1.2.3");
    }

    @Test
    void elseTheDefaultRoutesInterfaceAddress() throws Exception {
        List<InetAddress> eth0 = List.of(InetAddress.getByName("fe80::1"), InetAddress.getByName("192.168.0.7"));

        String picked = NodeAddresses.pick(null, path -> Optional.of(ROUTES),
                name -> name.equals("eth0") ? eth0 : List.of());

        assertThat(picked).isEqualTo("192.168.0.7");
    }

    @Test
    void elseLoopback() {
        assertThat(NodeAddresses.pick(null, path -> Optional.of(ROUTES.lines().limit(2).reduce("", (a, b) -> a + b + "\n")),
                name -> List.of())).isEqualTo("127.0.0.1");
        assertThat(NodeAddresses.pick("", path -> Optional.empty(), name -> List.of())).isEqualTo("127.0.0.1");
    }
}

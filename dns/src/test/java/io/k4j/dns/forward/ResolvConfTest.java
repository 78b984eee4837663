package io.k4j.dns.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResolvConfTest {

    @Test
    void readsTheNameserverLines() {
        List<InetSocketAddress> servers = ResolvConf.parse(List.of(
                "# generated", "search example.org", "nameserver 192.0.2.53", "  nameserver\t2001:db8::53  ",
                "nameserver fe80::1%eth0", "nameserver not-an-address", "options ndots:2", "nameserver"));

        assertThat(servers).extracting(server -> server.getAddress().getHostAddress() + " " + server.getPort())
                .containsExactly("192.0.2.53 53", "2001:db8:0:0:0:0:0:53 53", "fe80:0:0:0:0:0:0:1 53");
    }
}

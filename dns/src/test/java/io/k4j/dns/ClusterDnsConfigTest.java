package io.k4j.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterDnsConfigTest {

    @Test
    void neverForwardsToItself() throws Exception {
        InetAddress node = InetAddress.getByName("192.0.2.1");
        ClusterDns dns = ClusterDns.builder().bindAddress(node).serviceAddress(InetAddress.getByName("10.43.0.10"))
                .upstreams(List.of(new InetSocketAddress("192.0.2.1", 53), new InetSocketAddress("192.0.2.1", 5353),
                        new InetSocketAddress("10.43.0.10", 53), new InetSocketAddress("203.0.113.53", 53)))
                .build();

        assertThat(dns.upstreams()).containsExactly(new InetSocketAddress("192.0.2.1", 5353),
                new InetSocketAddress("203.0.113.53", 53));
    }

    @Test
    void onAllAddressesNoLocalAddressIsAnUpstream() throws Exception {
        ClusterDns dns = ClusterDns.builder()
                .upstreams(List.of(new InetSocketAddress("127.0.0.1", 53), new InetSocketAddress("203.0.113.53", 53)))
                .build();

        assertThat(dns.upstreams()).containsExactly(new InetSocketAddress("203.0.113.53", 53));
    }

    @Test
    void rejectsImpossibleSettings() {
        assertThatThrownBy(() -> ClusterDns.builder().port(70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClusterDns.builder().bindAddresses(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClusterDns.builder().clusterDomain("bad..domain").build().start())
                .isInstanceOf(IllegalArgumentException.class);
    }
}

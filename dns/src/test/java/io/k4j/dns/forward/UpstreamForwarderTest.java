package io.k4j.dns.forward;

import static io.k4j.dns.testing.Queries.answers;
import static io.k4j.dns.testing.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k4j.dns.testing.TinyUpstream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

class UpstreamForwarderTest {

    @Test
    void triesTheNextUpstreamWhenOneIsSilentAndKeepsNoUpstreamOpt() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                TinyUpstream upstream = new TinyUpstream(Map.of("www.example.test.", "192.0.2.10"));
                UpstreamForwarder forwarder = new UpstreamForwarder(List.of(
                        (InetSocketAddress) silent.getLocalSocketAddress(), upstream.address()),
                        Duration.ofMillis(300))) {
            for (int i = 0; i < 2; i++) {
                Message response = forwarder.forward(query("www.example.test", Type.A)).toCompletableFuture()
                        .join();

                assertThat(answers(response)).containsExactly("A 192.0.2.10");
                assertThat(response.getOPT()).isNull();
            }
            assertThat(upstream.asked()).hasSize(2);
        }
    }

    @Test
    void failsWhenNoUpstreamAnswers() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                UpstreamForwarder forwarder = new UpstreamForwarder(
                        List.of((InetSocketAddress) silent.getLocalSocketAddress()), Duration.ofMillis(200));
                UpstreamForwarder none = new UpstreamForwarder(List.of(), Duration.ofMillis(200))) {
            assertThatThrownBy(() -> forwarder.forward(query("www.example.test", Type.A)).toCompletableFuture()
                    .join()).hasRootCauseInstanceOf(java.io.IOException.class);
            assertThatThrownBy(() -> none.forward(query("www.example.test", Type.A)).toCompletableFuture().join())
                    .hasRootCauseInstanceOf(IllegalStateException.class);
        }
    }
}

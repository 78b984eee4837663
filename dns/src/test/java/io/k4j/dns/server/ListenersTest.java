package io.k4j.dns.server;

import static io.k4j.dns.testing.Queries.answers;
import static io.k4j.dns.testing.Queries.ip;
import static io.k4j.dns.testing.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.dns.ClusterDns;
import io.k4j.dns.zone.ClusterIndex;
import io.k4j.dns.zone.EndpointEntry;
import io.k4j.dns.zone.ServiceEntry;
import io.k4j.dns.zone.ServiceKey;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The UDP and TCP listeners on loopback: framing, pipelining, truncation, malformed input. */
class ListenersTest {

    private ClusterDns dns;

    @BeforeEach
    void start() throws Exception {
        ClusterIndex index = new ClusterIndex();
        index.putService(ServiceEntry.clusterIp("default", "web", List.of(ip("10.43.1.1")), List.of()));
        index.putService(ServiceEntry.headless("default", "big", List.of(), false));
        index.putSlice(new ServiceKey("default", "big"), "big-a", IntStream.range(1, 61).mapToObj(i ->
                new EndpointEntry(List.of(ip("10.42.7." + i)), null, true, List.of())).toList());
        dns = ClusterDns.builder().index(index).bindAddress(InetAddress.getLoopbackAddress()).port(0)
                .upstreams(List.of()).build().start();
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void udpAnswersMalformedQueriesWithFormerrAndKeepsServing() throws Exception {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(3000);
            byte[] malformed = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3f, 'x'};
            socket.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, dns.address()));
            socket.send(new DatagramPacket(malformed, malformed.length, dns.address()));

            Message formerr = receive(socket);
            assertThat(formerr.getHeader().getID()).isEqualTo(0x1234);
            assertThat(formerr.getRcode()).isEqualTo(Rcode.FORMERR);

            byte[] query = query("web.default.svc.cluster.local", Type.A).toWire();
            socket.send(new DatagramPacket(query, query.length, dns.address()));
            assertThat(answers(receive(socket))).containsExactly("A 10.43.1.1");
        }
    }

    @Test
    void udpTruncatesLargeAnswersAndTheClientGetsThemOverTcp() throws Exception {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(3000);
            byte[] query = query("big.default.svc.cluster.local", Type.A).toWire();
            socket.send(new DatagramPacket(query, query.length, dns.address()));
            DatagramPacket packet = new DatagramPacket(new byte[65535], 65535);
            socket.receive(packet);

            assertThat(packet.getLength()).isLessThanOrEqualTo(512);
            assertThat(new Message(Arrays.copyOf(packet.getData(), packet.getLength())).getHeader()
                    .getFlag(Flags.TC)).isTrue();
        }
        SimpleResolver resolver = new SimpleResolver(dns.address());
        resolver.setEDNS(-1);
        resolver.setTimeout(Duration.ofSeconds(3));
        assertThat(resolver.send(query("big.default.svc.cluster.local", Type.A)).getSection(Section.ANSWER))
                .hasSize(60);
    }

    @Test
    void tcpAnswersPipelinedQueriesInOrderOnOneConnection() throws Exception {
        try (Socket socket = new Socket(dns.address().getAddress(), dns.address().getPort())) {
            socket.setSoTimeout(3000);
            Message first = query("web.default.svc.cluster.local", Type.A);
            Message second = query("nope.default.svc.cluster.local", Type.A);
            byte[] malformed = {0x43, 0x21, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3f};
            OutputStream out = socket.getOutputStream();
            out.write(concat(frame(first.toWire()), frame(second.toWire()), frame(malformed)));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());

            Message one = new Message(TcpServer.readMessage(in));
            Message two = new Message(TcpServer.readMessage(in));
            Message three = new Message(TcpServer.readMessage(in));

            assertThat(one.getHeader().getID()).isEqualTo(first.getHeader().getID());
            assertThat(answers(one)).containsExactly("A 10.43.1.1");
            assertThat(two.getHeader().getID()).isEqualTo(second.getHeader().getID());
            assertThat(two.getRcode()).isEqualTo(Rcode.NXDOMAIN);
            assertThat(three.getHeader().getID()).isEqualTo(0x4321);
            assertThat(three.getRcode()).isEqualTo(Rcode.FORMERR);
            assertThat(new Message(readAfterWrite(in, out, query("big.default.svc.cluster.local", Type.A)))
                    .getSection(Section.ANSWER)).hasSize(60);
        }
    }

    @Test
    void aTakenPortIsAnErrorAtStart() {
        ClusterDns second = ClusterDns.builder().index(new ClusterIndex()).bindAddress(dns.address().getAddress())
                .port(dns.address().getPort()).upstreams(List.of()).build();

        org.assertj.core.api.Assertions.assertThatThrownBy(second::start).isInstanceOf(java.net.BindException.class);
        second.close();
    }

    private static byte[] readAfterWrite(DataInputStream in, OutputStream out, Message query) throws Exception {
        TcpServer.writeMessage(out, query.toWire());
        return TcpServer.readMessage(in);
    }

    private static Message receive(DatagramSocket socket) throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[65535], 65535);
        socket.receive(packet);
        return new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
    }

    private static byte[] frame(byte[] message) {
        byte[] framed = new byte[message.length + 2];
        framed[0] = (byte) (message.length >>> 8);
        framed[1] = (byte) message.length;
        System.arraycopy(message, 0, framed, 2, message.length);
        return framed;
    }

    private static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(part -> part.length).sum();
        byte[] all = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, offset, part.length);
            offset += part.length;
        }
        return all;
    }
}

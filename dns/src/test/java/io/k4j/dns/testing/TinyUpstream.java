package io.k4j.dns.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A tiny authoritative DNS server on loopback UDP for tests: the A records of its table (TTL 300), NXDOMAIN with an
 * SOA (negative TTL 60) for other names; EDNS queries get an OPT record back. Records what it was asked.
 */
public final class TinyUpstream implements AutoCloseable {

    private final DatagramSocket socket;
    private final Map<String, String> addresses;
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final Thread thread;

    public TinyUpstream(Map<String, String> addresses) throws SocketException {
        this.addresses = Map.copyOf(addresses);
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.thread = Thread.ofPlatform().daemon().name("tiny-upstream").start(this::serve);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    public List<String> asked() {
        return List.copyOf(asked);
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                byte[] response = answer(query).toWire(512);
                socket.send(new DatagramPacket(response, response.length, packet.getSocketAddress()));
            } catch (IOException stopped) {
                return;
            }
        }
    }

    private Message answer(Message query) throws IOException {
        Name name = query.getQuestion().getName();
        asked.add(name + " " + Type.string(query.getQuestion().getType()));
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        response.addRecord(query.getQuestion(), Section.QUESTION);
        if (query.getOPT() != null) {
            response.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        }
        String address = addresses.get(name.toString().toLowerCase());
        if (address == null) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            Name zone = Name.fromConstantString("test.");
            response.addRecord(new SOARecord(zone, DClass.IN, 60, Name.fromConstantString("ns.test."),
                    Name.fromConstantString("admin.test."), 1, 3600, 600, 86400, 60), Section.AUTHORITY);
        } else if (query.getQuestion().getType() == Type.A) {
            response.addRecord(new ARecord(name, DClass.IN, 300, InetAddress.getByName(address)), Section.ANSWER);
        }
        return response;
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

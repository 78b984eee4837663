package io.k4j.cli.node;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A stand-in for the node's upstream resolver, run by tests inside their network namespace: answers A queries for
 * the names it is given ({@code NAME=IP} arguments after the listen address and port), NXDOMAIN for the rest.
 */
public final class UpstreamDnsServer {

    private UpstreamDnsServer() {
    }

    public static void main(String[] args) throws Exception {
        Map<Name, InetAddress> names = new HashMap<>();
        for (int index = 2; index < args.length; index++) {
            String[] pair = args[index].split("=", 2);
            names.put(Name.fromString(pair[0], Name.root), InetAddress.getByName(pair[1]));
        }
        try (DatagramSocket socket = new DatagramSocket(Integer.parseInt(args[1]), InetAddress.getByName(args[0]))) {
            System.out.println("upstream DNS listening on " + socket.getLocalSocketAddress());
            byte[] buffer = new byte[512];
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Message answer = answer(query, names);
                byte[] wire = answer.toWire(512);
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            }
        }
    }

    private static Message answer(Message query, Map<Name, InetAddress> names) {
        Message answer = new Message(query.getHeader().getID());
        answer.getHeader().setFlag(Flags.QR);
        answer.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            answer.getHeader().setFlag(Flags.RD);
        }
        Record question = query.getQuestion();
        answer.addRecord(question, Section.QUESTION);
        InetAddress address = names.get(question.getName());
        if (address == null) {
            answer.getHeader().setRcode(Rcode.NXDOMAIN);
        } else if (question.getType() == Type.A) {
            answer.addRecord(new ARecord(question.getName(), DClass.IN, 60, address), Section.ANSWER);
        }
        return answer;
    }
}

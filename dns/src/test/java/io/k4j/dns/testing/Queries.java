package io.k4j.dns.testing;

import java.net.InetAddress;
import java.util.Comparator;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Query building and response reading for tests. */
public final class Queries {

    private Queries() {
    }

    public static Message query(String name, int type) {
        try {
            return Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
        } catch (Exception invalid) {
            throw new IllegalArgumentException(invalid);
        }
    }

    /** "TYPE rdata" of each record of a section, sorted. */
    public static List<String> records(Message response, int section) {
        return response.getSection(section).stream()
                .filter(record -> record.getType() != Type.OPT)
                .map(record -> Type.string(record.getType()) + " " + record.rdataToString())
                .sorted(Comparator.naturalOrder()).toList();
    }

    public static List<String> answers(Message response) {
        return records(response, Section.ANSWER);
    }

    public static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (Exception invalid) {
            throw new IllegalArgumentException(literal, invalid);
        }
    }
}

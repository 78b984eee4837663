package io.k4j.dns.zone;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Response skeletons: the query's id, opcode, RD flag and question, with QR and RA set. */
public final class Responses {

    private Responses() {
    }

    public static Message replyTo(Message query) {
        Message response = new Message(query.getHeader().getID());
        Header header = response.getHeader();
        header.setFlag(Flags.QR);
        header.setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            header.setFlag(Flags.RD);
        }
        header.setOpcode(query.getHeader().getOpcode());
        Record question = query.getQuestion();
        if (question != null) {
            response.addRecord(question, Section.QUESTION);
        }
        return response;
    }

    public static Message error(Message query, int rcode) {
        Message response = replyTo(query);
        response.getHeader().setRcode(rcode);
        return response;
    }
}

package io.k4j.dns.server;

import io.k4j.dns.forward.Forwarder;
import io.k4j.dns.forward.ResponseCache;
import io.k4j.dns.zone.ClusterZone;
import io.k4j.dns.zone.Responses;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Wire query in, wire response out, whatever the transport: the cluster zone answers its names, the cache or the
 * upstream resolvers the others. Malformed queries get FORMERR (or nothing when not even a header can be read).
 * Cluster answers and cache hits complete at once; only forwarded queries complete later.
 */
public final class QueryProcessor {

    /** Largest UDP answer we offer over EDNS; a common safe size that avoids IP fragmentation. */
    public static final int EDNS_PAYLOAD = 1232;
    static final int PLAIN_UDP_LIMIT = 512;
    static final int TCP_LIMIT = 65535;
    private static final Logger log = LoggerFactory.getLogger(QueryProcessor.class);
    private static final CompletableFuture<byte[]> NO_RESPONSE = CompletableFuture.completedFuture(null);

    private final ClusterZone zone;
    private final ResponseCache cache;
    private final Forwarder forwarder;

    public QueryProcessor(ClusterZone zone, ResponseCache cache, Forwarder forwarder) {
        this.zone = zone;
        this.cache = cache;
        this.forwarder = forwarder;
    }

    /** The response for a query received over UDP ({@code udp}) or TCP; completes with null when none is due. */
    public CompletionStage<byte[]> process(byte[] wire, boolean udp) {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException | RuntimeException malformed) {
            log.debug("malformed DNS query of {} bytes: {}", wire.length, malformed.toString());
            return CompletableFuture.completedFuture(formatError(wire));
        }
        Header header = query.getHeader();
        if (header.getFlag(Flags.QR)) {
            return NO_RESPONSE;
        }
        int limit = udp ? udpLimit(query) : TCP_LIMIT;
        if (header.getOpcode() != Opcode.QUERY) {
            return done(Responses.error(query, Rcode.NOTIMP), query, limit);
        }
        if (header.getCount(Section.QUESTION) != 1) {
            return done(Responses.error(query, Rcode.FORMERR), query, limit);
        }
        Optional<ClusterZone.Result> local = zone.answer(query);
        if (local.isPresent()) {
            ClusterZone.Result result = local.get();
            if (result.chaseTarget() == null) {
                return done(result.response(), query, limit);
            }
            return chase(result, query).thenApply(response -> encode(response, query, limit));
        }
        Optional<Message> cached = cache.get(query);
        if (cached.isPresent()) {
            return done(cached.get(), query, limit);
        }
        return forwarder.forward(query).handle((upstream, failure) -> {
            if (failure != null) {
                log.debug("upstream failed for {}: {}", query.getQuestion(), failure.toString());
                return encode(Responses.error(query, Rcode.SERVFAIL), query, limit);
            }
            cache.put(upstream);
            return encode(relay(upstream, query), query, limit);
        });
    }

    /** Resolves the out-of-zone CNAME target of a cluster answer (ExternalName) and appends its records. */
    private CompletionStage<Message> chase(ClusterZone.Result result, Message query) {
        Message response = result.response();
        Message targetQuery = Message.newQuery(Record.newRecord(result.chaseTarget(), query.getQuestion().getType(),
                query.getQuestion().getDClass()));
        targetQuery.getHeader().setID(query.getHeader().getID());
        Optional<Message> cached = cache.get(targetQuery);
        CompletionStage<Message> target = cached.<CompletionStage<Message>>map(CompletableFuture::completedFuture)
                .orElseGet(() -> forwarder.forward(targetQuery).thenApply(upstream -> {
                    cache.put(upstream);
                    return upstream;
                }));
        return target.handle((upstream, failure) -> {
            if (failure == null) {
                upstream.getSection(Section.ANSWER).forEach(record -> response.addRecord(record, Section.ANSWER));
                response.getHeader().setRcode(upstream.getRcode());
            }
            return response;
        });
    }

    /** The upstream's answer under the client's id and question. */
    private static Message relay(Message upstream, Message query) {
        Message response = Responses.replyTo(query);
        response.getHeader().setRcode(upstream.getRcode());
        if (upstream.getHeader().getFlag(Flags.AD)) {
            response.getHeader().setFlag(Flags.AD);
        }
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            upstream.getSection(section).forEach(record -> response.addRecord(record, section));
        }
        return response;
    }

    private static CompletionStage<byte[]> done(Message response, Message query, int limit) {
        return CompletableFuture.completedFuture(encode(response, query, limit));
    }

    /** Wire form within the size limit: dnsjava drops what does not fit and sets TC. EDNS queries get our OPT. */
    static byte[] encode(Message response, Message query, int limit) {
        if (query.getOPT() != null && response.getOPT() == null) {
            response.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
        return response.toWire(limit);
    }

    static int udpLimit(Message query) {
        OPTRecord opt = query.getOPT();
        if (opt == null) {
            return PLAIN_UDP_LIMIT;
        }
        return Math.max(PLAIN_UDP_LIMIT, Math.min(opt.getPayloadSize(), EDNS_PAYLOAD));
    }

    /** FORMERR for a query we cannot parse, echoing its id; nothing when even the header is missing. */
    static byte[] formatError(byte[] wire) {
        if (wire.length < Header.LENGTH || (wire[2] & 0x80) != 0) {
            return null;
        }
        Message response = new Message(((wire[0] & 0xff) << 8) | (wire[1] & 0xff));
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setOpcode((wire[2] >> 3) & 0xf);
        response.getHeader().setRcode(Rcode.FORMERR);
        return response.toWire();
    }
}

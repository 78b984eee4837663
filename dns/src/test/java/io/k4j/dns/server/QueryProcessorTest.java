package io.k4j.dns.server;

import static io.k4j.dns.testing.Queries.answers;
import static io.k4j.dns.testing.Queries.ip;
import static io.k4j.dns.testing.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.client.testing.MutableClock;
import io.k4j.dns.forward.Forwarder;
import io.k4j.dns.forward.ResponseCache;
import io.k4j.dns.zone.ClusterIndex;
import io.k4j.dns.zone.ClusterZone;
import io.k4j.dns.zone.EndpointEntry;
import io.k4j.dns.zone.Responses;
import io.k4j.dns.zone.ServiceEntry;
import io.k4j.dns.zone.ServiceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class QueryProcessorTest {

    /** Answers from a table; names it does not know fail like an unreachable upstream. */
    static final class TableForwarder implements Forwarder {
        final Map<String, String> addresses = new HashMap<>();
        final List<String> asked = new ArrayList<>();

        @Override
        public CompletionStage<Message> forward(Message query) {
            String name = query.getQuestion().getName().toString().toLowerCase();
            asked.add(name);
            String address = addresses.get(name);
            if (address == null) {
                return CompletableFuture.failedFuture(new java.net.SocketTimeoutException("no answer"));
            }
            Message response = Responses.replyTo(query);
            response.addRecord(new ARecord(query.getQuestion().getName(), DClass.IN, 60, ip(address)),
                    Section.ANSWER);
            return CompletableFuture.completedFuture(response);
        }
    }

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T04:00:00Z"));
    private final ClusterIndex index = new ClusterIndex();
    private final TableForwarder upstream = new TableForwarder();
    private final QueryProcessor processor = new QueryProcessor(
            new ClusterZone("cluster.local", index, Duration.ofSeconds(5), List.of()),
            new ResponseCache(clock, 100, Duration.ofHours(1)), upstream);

    @Test
    void forwardsOtherNamesAndServesRepeatsFromTheCacheUntilTheyExpire() {
        upstream.addresses.put("www.example.org.", "192.0.2.7");

        Message first = process(query("www.example.org", Type.A), true);
        clock.advance(Duration.ofSeconds(59));
        Message query = query("www.example.org", Type.A);
        Message second = process(query, true);

        assertThat(answers(first)).containsExactly("A 192.0.2.7");
        assertThat(first.getHeader().getFlag(Flags.RA)).isTrue();
        assertThat(second.getHeader().getID()).isEqualTo(query.getHeader().getID());
        assertThat(second.getSection(Section.ANSWER).getFirst().getTTL()).isEqualTo(1);
        assertThat(upstream.asked).containsExactly("www.example.org.");

        clock.advance(Duration.ofSeconds(1));
        process(query("www.example.org", Type.A), true);
        assertThat(upstream.asked).hasSize(2);
    }

    @Test
    void anUpstreamFailureIsServfailAndNotCached() {
        Message response = process(query("down.example.org", Type.A), true);
        process(query("down.example.org", Type.A), true);

        assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(upstream.asked).hasSize(2);
    }

    @Test
    void clusterNamesNeverGoUpstream() {
        index.putService(ServiceEntry.clusterIp("default", "web", List.of(ip("10.43.1.1")), List.of()));

        assertThat(answers(process(query("web.default.svc.cluster.local", Type.A), true)))
                .containsExactly("A 10.43.1.1");
        assertThat(process(query("nope.default.svc.cluster.local", Type.A), true).getRcode())
                .isEqualTo(Rcode.NXDOMAIN);
        assertThat(upstream.asked).isEmpty();
    }

    @Test
    void anExternalNameServiceIsItsCnameFollowedUpstream() {
        index.putService(ServiceEntry.externalName("default", "ext", "www.example.org"));
        upstream.addresses.put("www.example.org.", "192.0.2.7");

        Message response = process(query("ext.default.svc.cluster.local", Type.A), true);

        assertThat(answers(response)).containsExactly("A 192.0.2.7", "CNAME www.example.org.");
        assertThat(response.getSection(Section.ANSWER).getFirst().getType()).isEqualTo(Type.CNAME);
    }

    @Test
    void truncatesUdpAnswersAbove512BytesUnlessEdnsAllowsMore() {
        index.putService(ServiceEntry.headless("default", "big", List.of(), false));
        List<EndpointEntry> endpoints = IntStream.range(1, 61).mapToObj(i -> new EndpointEntry(
                List.of(ip("10.42.7." + i)), null, true, List.of())).toList();
        index.putSlice(new ServiceKey("default", "big"), "big-a", endpoints);

        byte[] plain = wire(processor.process(query("big.default.svc.cluster.local", Type.A).toWire(), true));
        Message edns = query("big.default.svc.cluster.local", Type.A);
        edns.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        byte[] large = wire(processor.process(edns.toWire(), true));
        byte[] tcp = wire(processor.process(query("big.default.svc.cluster.local", Type.A).toWire(), false));

        assertThat(plain.length).isLessThanOrEqualTo(512);
        assertThat(parse(plain).getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(large.length).isLessThanOrEqualTo(QueryProcessor.EDNS_PAYLOAD);
        assertThat(parse(large).getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(parse(large).getSection(Section.ANSWER)).hasSize(60);
        assertThat(parse(large).getOPT().getPayloadSize()).isEqualTo(QueryProcessor.EDNS_PAYLOAD);
        assertThat(parse(tcp).getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(parse(tcp).getSection(Section.ANSWER)).hasSize(60);
    }

    @Test
    void malformedQueriesGetFormerrWithTheirIdAndNoiseGetsNothing() {
        byte[] garbage = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 'a'};

        Message response = parse(wire(processor.process(garbage, true)));

        assertThat(response.getHeader().getID()).isEqualTo(0x1234);
        assertThat(response.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(wire(processor.process(new byte[] {1, 2, 3}, true))).isNull();
        assertThat(wire(processor.process(new byte[0], false))).isNull();
    }

    @Test
    void rejectsQueriesThatAreNotPlainQuestions() {
        Message twoQuestions = query("a.example", Type.A);
        twoQuestions.addRecord(query("b.example", Type.A).getQuestion(), Section.QUESTION);
        Message notify = query("a.example", Type.SOA);
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        Message aResponse = query("a.example", Type.A);
        aResponse.getHeader().setFlag(Flags.QR);
        Message noQuestion = new Message();

        assertThat(process(twoQuestions, true).getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(process(noQuestion, true).getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(process(notify, true).getRcode()).isEqualTo(Rcode.NOTIMP);
        assertThat(wire(processor.process(aResponse.toWire(), true))).isNull();
        assertThat(upstream.asked).isEmpty();
    }

    private Message process(Message query, boolean udp) {
        return parse(wire(processor.process(query.toWire(), udp)));
    }

    private static byte[] wire(CompletionStage<byte[]> response) {
        CompletableFuture<byte[]> future = response.toCompletableFuture();
        assertThat(future).isDone();
        return future.join();
    }

    private static Message parse(byte[] wire) {
        try {
            return new Message(wire);
        } catch (java.io.IOException invalid) {
            throw new AssertionError(invalid);
        }
    }
}

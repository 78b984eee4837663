package io.k4j.dns.forward;

import static io.k4j.dns.testing.Queries.answers;
import static io.k4j.dns.testing.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.client.testing.MutableClock;
import io.k4j.dns.zone.Responses;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ResponseCacheTest {

    private static final Name NAME = Name.fromConstantString("www.example.org.");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T04:00:00Z"));
    private final ResponseCache cache = new ResponseCache(clock, 100, Duration.ofHours(1));

    @Test
    void keepsAnAnswerForItsSmallestTtlAndAgesIt() {
        cache.put(answer(NAME, 30, "192.0.2.1", 60, "192.0.2.2"));

        clock.advance(Duration.ofMillis(29_999));
        Message query = query("WWW.example.org", Type.A);
        Message hit = cache.get(query).orElseThrow();
        assertThat(hit.getHeader().getID()).isEqualTo(query.getHeader().getID());
        assertThat(hit.getQuestion().getName().toString()).isEqualTo("WWW.example.org.");
        assertThat(hit.getSection(Section.ANSWER)).extracting(Record::getTTL).containsExactly(1L, 31L);
        assertThat(answers(hit)).containsExactly("A 192.0.2.1", "A 192.0.2.2");

        clock.advance(Duration.ofMillis(1));
        assertThat(cache.get(query)).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void keepsNegativeAnswersForTheSoaNegativeTtl() {
        Message nxdomain = negative(Rcode.NXDOMAIN, 60, 10);
        cache.put(nxdomain);

        clock.advance(Duration.ofMillis(9_999));
        Message hit = cache.get(query("www.example.org", Type.A)).orElseThrow();
        assertThat(hit.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(hit.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);

        clock.advance(Duration.ofMillis(1));
        assertThat(cache.get(query("www.example.org", Type.A))).isEmpty();
    }

    @Test
    void keepsNoDataByTheSoaRecordTtlWhenSmaller() {
        cache.put(negative(Rcode.NOERROR, 3, 300));

        clock.advance(Duration.ofMillis(2_999));
        assertThat(cache.get(query("www.example.org", Type.A))).isPresent();
        clock.advance(Duration.ofMillis(1));
        assertThat(cache.get(query("www.example.org", Type.A))).isEmpty();
    }

    @Test
    void doesNotKeepErrorsTruncatedAnswersOrNegativesWithoutSoa() {
        cache.put(Responses.error(query("www.example.org", Type.A), Rcode.SERVFAIL));
        Message truncated = answer(NAME, 30, "192.0.2.1", 30, "192.0.2.2");
        truncated.getHeader().setFlag(Flags.TC);
        cache.put(truncated);
        Message noSoa = Responses.replyTo(query("www.example.org", Type.A));
        noSoa.getHeader().setRcode(Rcode.NXDOMAIN);
        cache.put(noSoa);

        assertThat(cache.size()).isZero();
    }

    @Test
    void separatesTypesAndCapsTtlsAndEvictsTheLeastRecentlyUsed() {
        ResponseCache small = new ResponseCache(clock, 2, Duration.ofSeconds(100));
        small.put(answer(Name.fromConstantString("a.example."), 86400, "192.0.2.1", 86400, "192.0.2.1"));
        small.put(answer(Name.fromConstantString("b.example."), 600, "192.0.2.2", 600, "192.0.2.2"));
        assertThat(small.get(query("a.example", Type.A))).isPresent();
        assertThat(small.get(query("a.example", Type.AAAA))).isEmpty();
        small.put(answer(Name.fromConstantString("c.example."), 600, "192.0.2.3", 600, "192.0.2.3"));

        assertThat(small.get(query("b.example", Type.A))).isEmpty();
        clock.advance(Duration.ofSeconds(99));
        assertThat(small.get(query("a.example", Type.A))).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(small.get(query("a.example", Type.A))).isEmpty();
        assertThat(small.get(query("c.example", Type.A))).isEmpty();
    }

    private static Message answer(Name name, long ttl1, String ip1, long ttl2, String ip2) {
        Message response = Responses.replyTo(query(name.toString(), Type.A));
        response.addRecord(new ARecord(name, DClass.IN, ttl1, io.k4j.dns.testing.Queries.ip(ip1)), Section.ANSWER);
        response.addRecord(new ARecord(name, DClass.IN, ttl2, io.k4j.dns.testing.Queries.ip(ip2)), Section.ANSWER);
        return response;
    }

    private static Message negative(int rcode, long soaTtl, long minimum) {
        Message response = Responses.replyTo(query(NAME.toString(), Type.A));
        response.getHeader().setRcode(rcode);
        Name zone = Name.fromConstantString("example.org.");
        response.addRecord(new SOARecord(zone, DClass.IN, soaTtl, Name.fromConstantString("ns.example.org."),
                Name.fromConstantString("admin.example.org."), 1, 3600, 600, 86400, minimum), Section.AUTHORITY);
        return response;
    }
}

package io.k4j.dns.zone;

import static io.k4j.dns.testing.Queries.answers;
import static io.k4j.dns.testing.Queries.ip;
import static io.k4j.dns.testing.Queries.query;
import static io.k4j.dns.testing.Queries.records;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ClusterZoneTest {

    private static final String SOA = "SOA ns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 5";
    private static final ClusterIndex INDEX = index();
    private static final ClusterZone ZONE = new ClusterZone("cluster.local", INDEX, Duration.ofSeconds(5),
            List.of(ip("10.43.0.10")));

    static ClusterIndex index() {
        ClusterIndex index = new ClusterIndex();
        PortEntry http = new PortEntry("http", "TCP", 80);
        index.putService(ServiceEntry.clusterIp("default", "web", List.of(ip("10.43.1.1")),
                List.of(http, new PortEntry(null, "TCP", 8080))));
        index.putSlice(new ServiceKey("default", "web"), "web-1", List.of(
                new EndpointEntry(List.of(ip("10.42.0.20")), null, true, List.of(new PortEntry("http", "TCP", 8080)))));
        index.putService(ServiceEntry.clusterIp("default", "dual", List.of(ip("10.43.1.2"), ip("fd00:43::2")),
                List.of()));
        PortEntry pg = new PortEntry("pg", "TCP", 5432);
        index.putService(ServiceEntry.headless("default", "db", List.of(pg), false));
        index.putSlice(new ServiceKey("default", "db"), "db-a", List.of(
                new EndpointEntry(List.of(ip("10.42.0.5")), "db-0", true, List.of(pg)),
                new EndpointEntry(List.of(ip("10.42.0.6")), "db-1", true, List.of(pg))));
        index.putSlice(new ServiceKey("default", "db"), "db-b", List.of(
                new EndpointEntry(List.of(ip("10.42.0.7")), "db-2", false, List.of(pg))));
        index.putService(ServiceEntry.headless("default", "raw", List.of(), false));
        index.putSlice(new ServiceKey("default", "raw"), "raw-a", List.of(
                new EndpointEntry(List.of(ip("10.42.1.9")), null, true, List.of(new PortEntry("http", "TCP", 8080))),
                new EndpointEntry(List.of(ip("fd00:42::9")), null, true, List.of())));
        index.putService(ServiceEntry.headless("default", "pnr", List.of(), true));
        index.putSlice(new ServiceKey("default", "pnr"), "pnr-a", List.of(
                new EndpointEntry(List.of(ip("10.42.2.1")), null, false, List.of())));
        index.putService(ServiceEntry.headless("default", "empty", List.of(), false));
        index.putService(ServiceEntry.externalName("default", "ext", "example.org"));
        index.putService(ServiceEntry.externalName("default", "inzone", "web.default.svc.cluster.local"));
        index.putService(ServiceEntry.clusterIp("other", "web", List.of(ip("10.43.2.2")), List.of()));
        return index;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                answer("web.default.svc.cluster.local", Type.A, "A 10.43.1.1"),
                answer("WEB.Default.SVC.cluster.LOCAL", Type.A, "A 10.43.1.1"),
                answer("web.other.svc.cluster.local", Type.A, "A 10.43.2.2"),
                noData("web.default.svc.cluster.local", Type.AAAA),
                noData("web.default.svc.cluster.local", Type.MX),
                answer("dual.default.svc.cluster.local", Type.AAAA, "AAAA fd00:43:0:0:0:0:0:2"),
                answer("dual.default.svc.cluster.local", Type.ANY, "A 10.43.1.2", "AAAA fd00:43:0:0:0:0:0:2"),
                nxDomain("nope.default.svc.cluster.local", Type.A),
                nxDomain("web.nons.svc.cluster.local", Type.A),
                noData("default.svc.cluster.local", Type.A),
                nxDomain("nons.svc.cluster.local", Type.A),
                noData("svc.cluster.local", Type.A),
                nxDomain("other.cluster.local", Type.A),
                nxDomain("deep.x.web.default.svc.cluster.local", Type.A),
                answer("cluster.local", Type.SOA, SOA),
                answer("cluster.local", Type.NS, "NS ns.dns.cluster.local."),
                noData("cluster.local", Type.A),
                answer("ns.dns.cluster.local", Type.A, "A 10.43.0.10"),
                answer("dns-version.cluster.local", Type.TXT, "TXT \"1.1.0\""),
                Arguments.of("cluster.local", "AXFR", Rcode.REFUSED, List.of(), false),
                // headless: ready endpoints only; per-endpoint names by hostname or dashed address
                answer("db.default.svc.cluster.local", Type.A, "A 10.42.0.5", "A 10.42.0.6"),
                answer("db-0.db.default.svc.cluster.local", Type.A, "A 10.42.0.5"),
                nxDomain("db-2.db.default.svc.cluster.local", Type.A),
                answer("raw.default.svc.cluster.local", Type.A, "A 10.42.1.9"),
                answer("raw.default.svc.cluster.local", Type.AAAA, "AAAA fd00:42:0:0:0:0:0:9"),
                answer("10-42-1-9.raw.default.svc.cluster.local", Type.A, "A 10.42.1.9"),
                answer("fd00-42--9.raw.default.svc.cluster.local", Type.AAAA, "AAAA fd00:42:0:0:0:0:0:9"),
                answer("10-42-0-20.web.default.svc.cluster.local", Type.A, "A 10.42.0.20"),
                answer("pnr.default.svc.cluster.local", Type.A, "A 10.42.2.1"),
                noData("empty.default.svc.cluster.local", Type.A),
                // SRV for named ports
                answer("_pg._tcp.db.default.svc.cluster.local", Type.SRV,
                        "SRV 0 50 5432 db-0.db.default.svc.cluster.local.",
                        "SRV 0 50 5432 db-1.db.default.svc.cluster.local."),
                answer("_http._tcp.web.default.svc.cluster.local", Type.SRV,
                        "SRV 0 100 80 web.default.svc.cluster.local."),
                answer("_http._tcp.raw.default.svc.cluster.local", Type.SRV,
                        "SRV 0 50 8080 10-42-1-9.raw.default.svc.cluster.local."),
                nxDomain("_http._udp.web.default.svc.cluster.local", Type.SRV),
                nxDomain("_nope._tcp.web.default.svc.cluster.local", Type.SRV),
                noData("_tcp.web.default.svc.cluster.local", Type.A),
                nxDomain("_udp.web.default.svc.cluster.local", Type.A),
                noData("_http._tcp.web.default.svc.cluster.local", Type.A),
                noData("web.default.svc.cluster.local", Type.SRV),
                // ExternalName: CNAME, followed inside the zone
                answer("ext.default.svc.cluster.local", Type.CNAME, "CNAME example.org."),
                answer("inzone.default.svc.cluster.local", Type.A, "A 10.43.1.1",
                        "CNAME web.default.svc.cluster.local."),
                // pods
                answer("10-42-0-9.default.pod.cluster.local", Type.A, "A 10.42.0.9"),
                answer("10-42-0-9.anyns.pod.cluster.local", Type.A, "A 10.42.0.9"),
                noData("10-42-0-9.default.pod.cluster.local", Type.AAAA),
                answer("fd00-42--9.default.pod.cluster.local", Type.AAAA, "AAAA fd00:42:0:0:0:0:0:9"),
                nxDomain("not-an-ip.default.pod.cluster.local", Type.A),
                nxDomain("10-42-0-300.default.pod.cluster.local", Type.A),
                noData("default.pod.cluster.local", Type.A),
                // reverse lookups of service and endpoint addresses
                answer("1.1.43.10.in-addr.arpa", Type.PTR, "PTR web.default.svc.cluster.local."),
                answer("5.0.42.10.in-addr.arpa", Type.PTR, "PTR db-0.db.default.svc.cluster.local."),
                answer("9.1.42.10.in-addr.arpa", Type.PTR, "PTR 10-42-1-9.raw.default.svc.cluster.local."),
                answer("2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.4.0.0.0.0.d.f.ip6.arpa", Type.PTR,
                        "PTR dual.default.svc.cluster.local."));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void answersTheClusterZone(String name, String type, int rcode, List<String> expected, boolean soa) {
        Message response = ZONE.answer(query(name, Type.value(type))).orElseThrow().response();

        assertThat(Rcode.string(response.getRcode())).isEqualTo(Rcode.string(rcode));
        assertThat(answers(response)).containsExactlyElementsOf(expected);
        assertThat(records(response, Section.AUTHORITY)).isEqualTo(soa ? List.of(SOA) : List.of());
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(response.getSection(Section.ANSWER)).allSatisfy(record -> assertThat(record.getTTL()).isEqualTo(5));
        assertThat(response.getQuestion().getName().toString()).isEqualToIgnoringCase(name + ".");
    }

    @Test
    void namesOutsideTheZoneAndUnknownAddressesAreNotItsToAnswer() {
        assertThat(ZONE.answer(query("example.org", Type.A))).isEmpty();
        assertThat(ZONE.answer(query("9.9.9.9.in-addr.arpa", Type.PTR))).isEmpty();
        assertThat(ZONE.answer(query("42.10.in-addr.arpa", Type.PTR))).isEmpty();
        assertThat(ZONE.answer(query("1.1.43.10.in-addr.arpa", Type.A))).isEmpty();
    }

    @Test
    void anExternalNameOutsideTheZoneIsACnameToChaseUpstream() {
        ClusterZone.Result result = ZONE.answer(query("ext.default.svc.cluster.local", Type.A)).orElseThrow();

        assertThat(answers(result.response())).containsExactly("CNAME example.org.");
        assertThat(result.chaseTarget()).hasToString("example.org.");
    }

    @Test
    void srvAnswersCarryTheTargetsAddresses() {
        Message response = ZONE.answer(query("_pg._tcp.db.default.svc.cluster.local", Type.SRV)).orElseThrow()
                .response();

        assertThat(response.getSection(Section.ADDITIONAL)).extracting(Record::toString).containsExactlyInAnyOrder(
                "db-0.db.default.svc.cluster.local.\t5\tIN\tA\t10.42.0.5",
                "db-1.db.default.svc.cluster.local.\t5\tIN\tA\t10.42.0.6");
    }

    @Test
    void otherClassesAreRefused() {
        Message query = Message.newQuery(Record.newRecord(
                org.xbill.DNS.Name.fromConstantString("web.default.svc.cluster.local."), Type.A,
                org.xbill.DNS.DClass.CH));

        Optional<ClusterZone.Result> result = ZONE.answer(query);

        assertThat(result.orElseThrow().response().getRcode()).isEqualTo(Rcode.REFUSED);
    }

    private static Arguments answer(String name, int type, String... records) {
        return Arguments.of(name, Type.string(type), Rcode.NOERROR, List.of(records).stream().sorted().toList(),
                false);
    }

    private static Arguments noData(String name, int type) {
        return Arguments.of(name, Type.string(type), Rcode.NOERROR, List.of(), true);
    }

    private static Arguments nxDomain(String name, int type) {
        return Arguments.of(name, Type.string(type), Rcode.NXDOMAIN, List.of(), true);
    }
}

package io.k4j.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.k4j.dns.zone.ClusterZone;
import io.k4j.dns.testing.Queries;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsBenchmarkTest {

    private static final String REPORT = """
              Queries sent:         869157
              Queries completed:    869150 (100.00%)
              Queries lost:         7 (0.00%)

              Response codes:       NOERROR 782000 (89.97%), NXDOMAIN 87157 (10.03%)
              Run time (s):         10.000112
              Queries per second:   86846.123456

              Average Latency (s):  0.001092 (min 0.000020, max 0.058962)
            """;

    @Test
    void readsDnsperfsReport() {
        DnsBenchmark.Result result = DnsBenchmark.parse(1000, "udp", REPORT);

        assertThat(result.queriesPerSecond()).isEqualTo(86846.123456);
        assertThat(result.averageLatencyMs()).isEqualTo(1.092, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(result.maxLatencyMs()).isEqualTo(58.962, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(result.completed()).isEqualTo(869150);
        assertThat(result.lost()).isEqualTo(7);
    }

    @Test
    void everyQueryOfTheMixHasTheAnswerItWasWrittenFor() throws Exception {
        var index = DnsBenchmark.index(100);
        ClusterZone zone = new ClusterZone("cluster.local", index, Duration.ofSeconds(5), List.of());
        List<String> mix = DnsBenchmark.queryMix(100);

        assertThat(mix).filteredOn(line -> line.contains(DnsBenchmark.UPSTREAM_DOMAIN)).hasSize(25);
        for (String line : mix) {
            if (line.contains(DnsBenchmark.UPSTREAM_DOMAIN)) {
                assertThat(zone.answer(Queries.query(line.split(" ")[0], Type.A))).as(line).isEmpty();
                line = line.replace(DnsBenchmark.UPSTREAM_DOMAIN, "cluster.local");
            }
            String[] parts = line.split(" ");
            Message response = zone.answer(Queries.query(parts[0], Type.value(parts[1]))).orElseThrow().response();
            boolean missing = parts[0].startsWith("missing-");
            assertThat(response.getRcode()).as(line).isEqualTo(missing ? Rcode.NXDOMAIN : Rcode.NOERROR);
            assertThat(response.getSection(Section.ANSWER).isEmpty()).as(line).isEqualTo(missing);
        }
    }

    @Test
    void measuresWithDnsperfWhenInstalled() throws Exception {
        assumeThat(Files.isExecutable(Path.of("/usr/bin/dnsperf"))).as("dnsperf is not installed").isTrue();

        DnsBenchmark.Result result = DnsBenchmark.run(200, Duration.ofSeconds(1), "/usr/bin/dnsperf");

        assertThat(result.completed()).isPositive();
        assertThat(result.queriesPerSecond()).isPositive();
        assertThat(result.lost()).isZero();
    }
}

package io.k4j.proxy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ProxySyncBenchmarkTest {

    @Test
    void syntheticClusterHasTheRequestedSize() {
        var cluster = ProxySyncBenchmark.syntheticCluster(1000, 10);
        assertThat(cluster).hasSize(1000);
        assertThat(cluster.stream().mapToInt(s -> s.endpoints().size()).sum()).isEqualTo(10_000);
        assertThat(cluster.stream().map(s -> s.clusterIp()).distinct().count()).isEqualTo(1000);
        assertThat(cluster.stream().flatMap(s -> s.endpoints().stream()).map(e -> e.ip()).distinct().count())
                .isEqualTo(10_000);
    }

    /** The size, applied for real in a namespace of its own; prints the timings. */
    @Test
    void fullSyncOfAThousandServices() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root (network namespace)");
        List<ProxySyncBenchmark.Result> results = ProxySyncBenchmark.runInNewNamespace(1000, 10);
        results.forEach(r -> System.out.println("proxy sync benchmark: " + r));
        assertThat(results).hasSize(2).allSatisfy(r -> assertThat(r.rules())
                // 12 per service (its KUBE-SERVICES rule, the masquerade, ten DNATs) and a third of the endpoints'
                // hairpin rules.
                .isGreaterThan(15_000));
    }
}

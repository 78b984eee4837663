package io.k4j.ingress.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A short side-by-side run (skipped without wrk and nginx). With -Dk4j.bench.ingress=true the default, full-length
 * run happens instead and its table is printed.
 */
class IngressBenchmarkTest {

    @Test
    void measuresBothProxiesWithoutErrors() throws Exception {
        assumeTrue(onPath("wrk"), "wrk is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx is not installed (apt-get install nginx)");
        boolean full = Boolean.getBoolean("k4j.bench.ingress");
        IngressBenchmark.Options options = new IngressBenchmark.Options();
        if (!full) {
            options.duration(Duration.ofSeconds(2)).warmUp(Duration.ofSeconds(1)).connections(8).threads(1).rounds(1);
        }
        IngressBenchmark.Result result = IngressBenchmark.run(options);
        System.out.println(result.toMarkdown());
        assertThat(result.ingress().requests()).isPositive();
        assertThat(result.nginx().requests()).isPositive();
        assertThat(result.ingress().errors()).isZero();
        assertThat(result.nginx().errors()).isZero();
    }

    private static boolean onPath(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, binary))) {
                return true;
            }
        }
        return false;
    }
}

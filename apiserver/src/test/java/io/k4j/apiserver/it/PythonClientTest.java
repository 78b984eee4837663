package io.k4j.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Debian's python3-kubernetes (22.6) lists and watches against a real k4j API server. */
class PythonClientTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @Test
    void listsAndWatchesPods() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON), "skipped: no /usr/bin/python3");
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import kubernetes").start();
        Assumptions.assumeTrue(probe.waitFor() == 0,
                "skipped: python3-kubernetes is not installed (apt-get install python3-kubernetes; .ci/run does)");
        try (TestCluster cluster = TestCluster.start()) {
            cluster.kubectlWithInput("""
                    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"existing"},
                     "spec":{"containers":[{"name":"c","image":"busybox"}]}}
                    """, "create", "-n", "default", "-f", "-").assertOk();
            Path script = cluster.dataDir().resolve("list_and_watch.py");
            try (var in = getClass().getResourceAsStream("/python/list_and_watch.py")) {
                Files.copy(in, script);
            }
            Process python = new ProcessBuilder(PYTHON.toString(), script.toString(), cluster.kubeconfig().toString(),
                    "default").redirectErrorStream(true).start();
            String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(python.exitValue()).as(out).isZero();
            assertThat(out).contains("version v1.32.0+k4j")
                    .containsPattern("listed existing rv \\d+")
                    .contains("event ADDED from-python")
                    .doesNotContain("event ADDED existing")
                    .contains("error 404 Not Found");
        }
    }
}

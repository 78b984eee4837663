package io.k4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, run as the launcher runs it: a separate JVM with only its manifest class path. */
class K4jJarIT {

    @TempDir
    Path dir;

    private static Process start(String... args) throws IOException {
        Path jar = Path.of("target", "k4j.jar").toAbsolutePath();
        assertThat(jar).exists();
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED",
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    @Test
    void versionRunsFromTheJar() throws Exception {
        Process process = start("version");
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(out).contains("k4j version v", "kubernetes v1.32.0");
    }

    static boolean kubectlOnPath() {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "kubectl"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theServerOpensItsDatastoreKeepsItAcrossRestartsAndStopsOnSigterm() throws Exception {
        Path dataDir = dir.resolve("data");
        for (int round = 0; round < 2; round++) {
            long started = System.nanoTime();
            Process server = start("server", "--data-dir", dataDir.toString(), "--https-listen-port", "0",
                    "--disable", "kubelet,dns,servicelb,ingress");
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line;
            String ready = null;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("k4j server: datastore")) {
                    ready = line;
                    break;
                }
            }
            assertThat(ready).as("server never said it was ready").isNotNull()
                    .contains("sqlite " + dataDir.resolve("db/state.db"));
            String apiReady = null;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("k4j server: API server ready at ")) {
                    apiReady = line;
                    break;
                }
            }
            assertThat(apiReady).as("the API server never said it was ready").isNotNull();
            System.out.printf("round %d: API server ready %d ms after the JVM was started%n", round,
                    (System.nanoTime() - started) / 1_000_000);
            assertThat(Files.exists(dataDir.resolve("db/state.db"))).isTrue();
            assertThat(Files.exists(dataDir.resolve("kubeconfig.yaml"))).isTrue();
            if (kubectlOnPath()) {
                Process kubectl = start("kubectl", "--data-dir", dataDir.toString(), "get", "namespaces", "-o", "name");
                String listed = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(listed).contains("namespace/default", "namespace/kube-system");
            }
            server.destroy(); // SIGTERM
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(server.exitValue()).isIn(0, 143);
        }
    }
}

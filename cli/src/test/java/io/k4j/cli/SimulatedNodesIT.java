package io.k4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code k4j server --simulated-nodes 3 --simulated-node-zones 2} from the packaged jar, checked with kubectl:
 * there is no scheduler yet, so the pods name their node themselves.
 */
class SimulatedNodesIT {

    @TempDir
    static Path dir;

    private static Process server;
    private static Path kubeconfig;

    @BeforeAll
    static void startServer() throws Exception {
        Assumptions.assumeTrue(kubectlOnPath(), "kubectl is not on the PATH: every check here goes through it");
        Path jar = Path.of("target", "k4j.jar").toAbsolutePath();
        assertThat(jar).exists();
        Path dataDir = dir.resolve("data");
        server = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(),
                "server", "--data-dir", dataDir.toString(), "--https-listen-port", "0",
                "--simulated-nodes", "3", "--simulated-node-zones", "2", "--disable", "kubelet,dns,servicelb,ingress")
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line;
        String registered = null;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("k4j server: ") && line.endsWith("simulated nodes registered")) {
                registered = line;
                break;
            }
        }
        assertThat(registered).as("the server never registered its simulated nodes").isEqualTo(
                "k4j server: 3 simulated nodes registered");
        Thread.ofVirtual().start(() -> out.lines().forEach(System.out::println)); // keep the pipe drained
        kubeconfig = dataDir.resolve("kubeconfig.yaml");
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void nodesAreReadyWithZonesPodCidrsAndLeases() throws Exception {
        assertThat(kubectl("wait", "--for=condition=Ready", "node", "--all", "--timeout=60s")).contains("sim-node-2");
        assertThat(kubectl("get", "nodes", "-o",
                "jsonpath={range .items[*]}{.metadata.name} {.metadata.labels.topology\\.kubernetes\\.io/zone} "
                        + "{.spec.podCIDR} {.status.capacity.pods}{\"\\n\"}{end}").lines())
                .containsExactly("sim-node-0 zone-0 10.42.0.0/24 110", "sim-node-1 zone-1 10.42.1.0/24 110",
                        "sim-node-2 zone-0 10.42.2.0/24 110");
        assertThat(kubectl("get", "leases", "-n", "kube-node-lease", "-o",
                "jsonpath={range .items[*]}{.spec.holderIdentity} {.spec.leaseDurationSeconds}{\"\\n\"}{end}").lines())
                .containsExactly("sim-node-0 40", "sim-node-1 40", "sim-node-2 40");
    }

    @Test
    void aBoundPodRunsWithAnIpFromItsNodesCidrAndDeletingItRemovesIt() throws Exception {
        apply(pod("runner", "sim-node-1", "Always", null, null));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                kubectl("get", "pod", "runner", "-o", "jsonpath={.status.phase} {.status.podIP} {.status.hostIP}"))
                .matches("Running 10\\.42\\.1\\.\\d+ 172\\.16\\.0\\.2"));
        kubectl("wait", "--for=condition=Ready", "pod/runner", "--timeout=30s");
        kubectl("delete", "pod", "runner", "--wait=true", "--timeout=30s");
        assertThat(kubectl("get", "pods", "-o", "name")).doesNotContain("pod/runner");
    }

    @Test
    void exitAfterEndsPodsWithTheirExitCode() throws Exception {
        apply(pod("succeeds", "sim-node-0", "Never", "1s", null));
        apply(pod("fails", "sim-node-2", "Never", "1s", "1"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(kubectl("get", "pod", "succeeds", "-o", "jsonpath={.status.phase}")).isEqualTo("Succeeded");
            assertThat(kubectl("get", "pod", "fails", "-o",
                    "jsonpath={.status.phase} {.status.containerStatuses[0].state.terminated.exitCode}"))
                    .isEqualTo("Failed 1");
        });
    }

    private static String pod(String name, String node, String restartPolicy, String exitAfter, String exitCode) {
        List<String> annotations = new ArrayList<>();
        if (exitAfter != null) {
            annotations.add("simulation.k4j.io/exit-after: \"" + exitAfter + "\"");
        }
        if (exitCode != null) {
            annotations.add("simulation.k4j.io/exit-code: \"" + exitCode + "\"");
        }
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, annotations: {%s}}
                spec:
                  nodeName: %s
                  restartPolicy: %s
                  containers: [{name: main, image: busybox}]
                """.formatted(name, String.join(", ", annotations), node, restartPolicy);
    }

    private static void apply(String manifest) throws Exception {
        Path file = Files.createTempFile(dir, "pod", ".yaml");
        Files.writeString(file, manifest);
        kubectl("apply", "-f", file.toString());
    }

    private static String kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("kubectl %s: %s", String.join(" ", args), out).isZero();
        return out;
    }

    private static boolean kubectlOnPath() {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "kubectl"))) {
                return true;
            }
        }
        return false;
    }
}

package io.k4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The k4j command line, run in-process exactly as main runs it. */
class K4jCommandTest {

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine commandLine = K4j.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void helpListsTheCommands() {
        Run run = run("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("server", "bench", "version");
    }

    @Test
    void versionNamesK4jAndTheKubernetesVersion() {
        Run run = run("version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).containsPattern("k4j version v\\d+\\.\\d+\\.\\d+").contains("kubernetes v1.32.0");
    }

    @Test
    void subcommandsHaveHelpToo() {
        Run run = run("bench", "store", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--backend", "--writers", "--watchers");
    }

    @Test
    void aBadDatastoreEndpointIsOneClearLineNotAStackTrace() {
        Run run = run("server", "--data-dir", dir.toString(), "--datastore-endpoint", "mysql://db:3306");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("k4j: unknown datastore endpoint mysql://db:3306").doesNotContain("\tat ");
    }

    @Test
    void aForeignDatastoreFileIsRefusedByName() throws Exception {
        Path file = dir.resolve("state.db");
        Files.writeString(file, "not a database", StandardCharsets.UTF_8);
        Run run = run("server", "--datastore-endpoint", "sqlite://" + file);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("k4j: refusing datastore file " + file).doesNotContain("\tat ");
        assertThat(Files.readString(file)).isEqualTo("not a database");
    }

    @Test
    void aBadDurationIsAUsageError() {
        Run run = run("server", "--etcd-compaction-interval", "soon");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'soon' is not a duration");
    }

    @Test
    void theNetworkingBenchmarkMeasuresTheClusterDnsWithDnsperf() {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(java.nio.file.Path.of(
                "/usr/bin/dnsperf")), "dnsperf is not installed (apt-get install dnsperf)");
        Run run = run("bench", "networking", "--only", "dns", "--services", "20", "--duration", "1s");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("cores").containsPattern(
                "cluster DNS: \\d+ queries/s, .* \\(20 services, 1/6 forwarded names, dnsperf over UDP on loopback\\)")
                .contains("dnsperf over TCP");
    }

    @Test
    void theApiServerBenchmarkRefusesAnUnknownScenarioBeforeStartingAnything() {
        Run run = run("bench", "apiserver", "--only", "create,lists");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--only: unknown scenario 'lists'; known: create, get, list, watch, idle")
                .doesNotContain("Exception");
    }

    @Test
    void theNetworkingBenchmarkRefusesAnUnknownPartBeforeStartingAnything() {
        Run run = run("bench", "networking", "--only", "dns,proxies");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--only: unknown part 'proxies'; known: ingress, dns, proxy")
                .doesNotContain("Exception");
        assertThat(run.out()).doesNotContain("|");
    }

    @Test
    void thePodsBenchmarkRefusesNoTimedPods() {
        Run run = run("bench", "pods", "--pods", "0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--pods and --concurrency must be at least 1").doesNotContain("Exception");
    }

    @Test
    void theStoreBenchmarkPrintsATableRowPerScenario() {
        Run run = run("bench", "store", "--backend", "sqlite", "--duration", "200ms", "--writers", "1,4",
                "--range-keys", "100", "--range-repeats", "2", "--watchers", "5", "--watch-events", "10",
                "--watch-rate", "1000");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("| scenario | backend | throughput | p50 ms | p99 ms | samples |")
                .contains("| create, 1 writer, 1024 B values | sqlite |")
                .contains("| create, 4 writers, 1024 B values | sqlite |")
                .contains("| range of 100 keys | sqlite |")
                .contains("| watch delivery, 5 watchers | sqlite |")
                .contains("cores");
        assertThat(run.out()).contains("| 50 |"); // 5 watchers x 10 events, every one delivered
    }

    @Test
    void controllerManagerFlagsBecomeItsOptions() {
        ControllerManagerOptions flags = new ControllerManagerOptions();
        new CommandLine(flags).parseArgs("--concurrent-gc-syncs", "3",
                "--concurrent-deployment-syncs=7", "--cluster-cidr", "10.50.0.0/16", "--node-monitor-grace-period", "5s");

        var options = flags.options();

        assertThat(options.workers("garbagecollector")).isEqualTo(3);
        assertThat(options.workers("deployment")).isEqualTo(7);
        assertThat(options.workers("replicaset")).isEqualTo(5);
        assertThat(options.clusterCidr()).isEqualTo("10.50.0.0/16");
        assertThat(options.nodeMonitorGracePeriod()).hasSeconds(5);
    }

    @Test
    void aControllerWorkerCountBelowOneIsRefusedWithAMessage() {
        Run run = run("controller-manager", "--kubeconfig", dir.resolve("none.yaml").toString(),
                "--concurrent-job-syncs", "0");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("workers for job must be at least 1").doesNotContain("\tat ");
    }
}

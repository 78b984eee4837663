package io.k4j.cli.bench;

import io.k4j.bench.ScenarioTable;
import io.k4j.bench.store.StoreBenchmark;
import io.k4j.bench.Scenario;
import io.k4j.cli.DurationConverter;
import io.k4j.store.KeyValueStore;
import io.k4j.store.etcd.EtcdOptions;
import io.k4j.store.etcd.EtcdStore;
import io.k4j.store.etcd.LocalEtcdCluster;
import io.k4j.store.internal.TempDirs;
import io.k4j.store.sqlite.SqliteStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code k4j bench store}: runs the same scenarios against each chosen backend in one run and prints one table.
 * Without --etcd-endpoints it starts a single local etcd member (Debian's etcd-server) for the run.
 */
@Command(name = "store", description = "Benchmark the datastore backends side by side.")
final class StoreBenchCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--backend", split = ",", defaultValue = "sqlite,etcd",
            description = "Backends to run, in order: sqlite, etcd (default: ${DEFAULT-VALUE}).")
    List<String> backends;

    @Option(names = "--etcd-endpoints", split = ",", paramLabel = "URL",
            description = "Client URLs of an etcd to measure (default: start one local member).")
    List<URI> etcdEndpoints;

    @Option(names = "--duration", defaultValue = "5s", converter = DurationConverter.class,
            description = "How long each write scenario runs (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--writers", split = ",", defaultValue = "1,64",
            description = "Concurrent writer counts (default: ${DEFAULT-VALUE}).")
    List<Integer> writers;

    @Option(names = "--value-bytes", defaultValue = "1024", description = "Value size (default: ${DEFAULT-VALUE}).")
    int valueBytes;

    @Option(names = "--range-keys", defaultValue = "10000", description = "Keys in the range scenario (default: ${DEFAULT-VALUE}).")
    int rangeKeys;

    @Option(names = "--range-repeats", defaultValue = "20", description = "Timed range reads (default: ${DEFAULT-VALUE}).")
    int rangeRepeats;

    @Option(names = "--watchers", defaultValue = "1000", description = "Watchers (default: ${DEFAULT-VALUE}).")
    int watchers;

    @Option(names = "--watch-events", defaultValue = "200", description = "Events sent to the watchers (default: ${DEFAULT-VALUE}).")
    int watchEvents;

    @Option(names = "--watch-rate", defaultValue = "100", description = "Events per second (default: ${DEFAULT-VALUE}).")
    int watchRate;

    @Override
    public Integer call() throws Exception {
        StoreBenchmark.Settings settings = new StoreBenchmark.Settings(duration, writers, valueBytes, rangeKeys,
                rangeRepeats, watchers, watchEvents, watchRate);
        PrintWriter out = spec.commandLine().getOut();
        List<Scenario> results = new ArrayList<>();
        for (String backend : backends) {
            out.println("running " + backend + " ...");
            out.flush();
            switch (backend) {
                case "sqlite" -> results.addAll(runSqlite(settings));
                case "etcd" -> results.addAll(runEtcd(settings));
                default -> throw new IllegalArgumentException("unknown backend " + backend + "; use sqlite or etcd");
            }
        }
        out.println();
        out.println(MachineDescription.describe() + ", " + ZonedDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE));
        out.println();
        out.print(ScenarioTable.markdown(results));
        out.flush();
        return 0;
    }

    private List<Scenario> runSqlite(StoreBenchmark.Settings settings) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "k4j-bench-");
        try (SqliteStore store = SqliteStore.open(dir.resolve("state.db"))) {
            return new StoreBenchmark("sqlite", store, settings).runAll();
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }

    private List<Scenario> runEtcd(StoreBenchmark.Settings settings) throws IOException, InterruptedException {
        if (etcdEndpoints != null && !etcdEndpoints.isEmpty()) {
            return measureEtcd("etcd", etcdEndpoints, settings);
        }
        try (LocalEtcdCluster cluster = LocalEtcdCluster.start(1)) {
            return measureEtcd("etcd (1 member)", cluster.endpoints(), settings);
        }
    }

    private static List<Scenario> measureEtcd(String name, List<URI> endpoints, StoreBenchmark.Settings settings)
            throws InterruptedException {
        EtcdOptions options = EtcdOptions.builder(endpoints).requestTimeout(Duration.ofSeconds(10)).build();
        try (KeyValueStore store = EtcdStore.connect(options)) {
            return new StoreBenchmark(name, store, settings).runAll();
        }
    }
}

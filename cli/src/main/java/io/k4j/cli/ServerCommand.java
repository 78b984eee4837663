package io.k4j.cli;

import io.k4j.store.Compactor;
import io.k4j.store.DatastoreEndpoint;
import io.k4j.store.Datastores;
import io.k4j.store.KeyValueStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code k4j server}: the all-in-one node. Today it opens the datastore and keeps its history compacted; the
 * API server and the other components join it as they are built.
 */
@Command(name = "server", description = "Run the k4j server (today: the datastore, with compaction).")
final class ServerCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where k4j keeps its state (default: /var/lib/k4j as root, ~/.k4j otherwise).")
    Path dataDir;

    @Option(names = "--datastore-endpoint", paramLabel = "URL",
            description = "sqlite:///PATH/state.db (default: DATA_DIR/db/state.db) or etcd://HOST:PORT[,HOST:PORT...][/PREFIX].")
    String datastoreEndpoint;

    @Option(names = "--datastore-cafile", paramLabel = "FILE", description = "CA to verify etcd with (enables TLS).")
    Path datastoreCaFile;

    @Option(names = "--datastore-certfile", paramLabel = "FILE", description = "Client certificate for etcd.")
    Path datastoreCertFile;

    @Option(names = "--datastore-keyfile", paramLabel = "FILE", description = "Client key for etcd.")
    Path datastoreKeyFile;

    @Option(names = "--etcd-compaction-interval", paramLabel = "DURATION", defaultValue = "5m",
            converter = DurationConverter.class,
            description = "How much history to keep; compaction runs this often (default: ${DEFAULT-VALUE}).")
    Duration compactionInterval;

    static Path defaultDataDir() {
        boolean root = "root".equals(System.getProperty("user.name"));
        return root ? Path.of("/var/lib/k4j") : Path.of(System.getProperty("user.home"), ".k4j");
    }

    @Override
    public Integer call() throws InterruptedException {
        Path dir = dataDir != null ? dataDir : defaultDataDir();
        DatastoreEndpoint endpoint = DatastoreEndpoint.parse(datastoreEndpoint, dir);
        KeyValueStore store = Datastores.open(endpoint, datastoreCaFile, datastoreCertFile, datastoreKeyFile);
        Compactor compactor = new Compactor(store).start(compactionInterval);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            compactor.close();
            store.close();
            stopped.countDown();
        }, "k4j-shutdown"));
        spec.commandLine().getOut().printf("k4j server: datastore %s open at revision %d%n", describe(endpoint),
                store.currentRevision());
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }

    private static String describe(DatastoreEndpoint endpoint) {
        return switch (endpoint) {
            case DatastoreEndpoint.Sqlite sqlite -> "sqlite " + sqlite.file();
            case DatastoreEndpoint.Etcd etcd -> "etcd " + etcd.members();
        };
    }
}

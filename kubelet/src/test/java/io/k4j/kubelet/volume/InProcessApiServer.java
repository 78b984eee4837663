package io.k4j.kubelet.volume;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.k4j.apiserver.server.ApiServer;
import io.k4j.store.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A real API server in the test's JVM (loopback, a free port, SQLite in a temp dir) and a client of it. */
final class InProcessApiServer implements AutoCloseable {

    private final Path dir;
    private final SqliteStore store;
    private final ApiServer server;
    private final KubernetesClient client;

    InProcessApiServer() throws Exception {
        dir = Files.createTempDirectory("k4j-kubelet-volumes-");
        store = SqliteStore.open(dir.resolve("db/state.db"));
        server = ApiServer.builder().dataDir(dir).store(store).listen("127.0.0.1", 0).version("test").start();
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(server.kubeconfig())))
                .build();
    }

    KubernetesClient client() {
        return client;
    }

    @Override
    public void close() throws Exception {
        client.close();
        server.close();
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}

package io.k4j.kubelet.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.k4j.apiserver.server.ApiServer;
import io.k4j.store.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A real API server in the test's JVM (loopback, free port, SQLite in a temp dir that closing deletes). */
public final class TestApiServer implements AutoCloseable {

    private final Path dir;
    private final SqliteStore store;
    private final ApiServer server;
    private final KubernetesClient client;

    private TestApiServer(Path dir) throws Exception {
        this.dir = dir;
        this.store = SqliteStore.open(dir.resolve("db/state.db"));
        this.server = ApiServer.builder().dataDir(dir).store(store).listen("127.0.0.1", 0).version("test").start();
        this.client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(server.kubeconfig()))).build();
    }

    public static TestApiServer start() throws Exception {
        return new TestApiServer(Files.createTempDirectory("k4j-kubelet-"));
    }

    public KubernetesClient client() {
        return client;
    }

    public Path kubeconfig() {
        return server.kubeconfig();
    }

    /** The server's data dir (its certificates are under server/tls). */
    public Path dir() {
        return dir;
    }

    public ApiServer server() {
        return server;
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

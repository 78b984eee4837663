package io.k4j.cli;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@code k4j server} for an integration test class, declared with {@code @RegisterExtension}: started before the
 * class's first test (and before its own {@code @BeforeAll} methods), skipped with the reason where kubectl is not
 * installed, stopped after its last test, its data dir then deleted.
 */
final class ServerPerClass implements BeforeAllCallback, AfterAllCallback {

    private static final Duration NODES_READY = Duration.ofSeconds(90);

    private final String readyLine;
    private final List<String> flags;
    private final int readyNodes;
    private Path dir;
    private RunningServer server;

    private ServerPerClass(String readyLine, List<String> flags, int readyNodes) {
        this.readyLine = readyLine;
        this.flags = flags;
        this.readyNodes = readyNodes;
    }

    /** A server with this many simulated nodes (and these flags besides); tests start once every node is Ready. */
    static ServerPerClass withSimulatedNodes(int nodes, String... moreFlags) {
        List<String> flags = new ArrayList<>(List.of("--simulated-nodes", Integer.toString(nodes)));
        flags.addAll(List.of(moreFlags));
        return new ServerPerClass("k4j server: " + nodes + " simulated nodes registered", flags, nodes);
    }

    /** A server with these flags; tests start once it printed a line starting with {@code readyLine}. */
    static ServerPerClass started(String readyLine, String... flags) {
        return new ServerPerClass(readyLine, List.of(flags), 0);
    }

    RunningServer server() {
        return server;
    }

    /** A directory the test class may write to (logs, manifests); the server's data dir is inside it. */
    Path dir() {
        return dir;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Assumptions.assumeTrue(RunningServer.kubectlOnPath(),
                "kubectl is not on PATH: " + context.getRequiredTestClass().getSimpleName() + " drives kubectl");
        dir = Files.createTempDirectory("k4j-" + context.getRequiredTestClass().getSimpleName() + "-");
        server = RunningServer.start(dir.resolve("data"), readyLine, flags.toArray(String[]::new));
        if (readyNodes > 0) {
            await().atMost(NODES_READY).until(() -> server.kubectl("get", "nodes", "--no-headers").out().lines()
                    .filter(line -> line.contains(" Ready ")).count() == readyNodes);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (server != null) {
            server.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}

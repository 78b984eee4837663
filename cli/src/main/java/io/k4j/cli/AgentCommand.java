package io.k4j.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.k4j.kubelet.node.ClusterJoin;
import io.k4j.kubelet.node.JoinToken;
import io.k4j.simulation.SimulatedNodes;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code k4j agent}: this machine joins a k4j server as a node. It trusts the server's CA (checked against the
 * token's CA hash, or on first use), gets its serving certificate from the server, then registers its node and keeps
 * it current, talking to the API with the join token.
 */
@Command(name = "agent", description = "Run a node agent that joins this machine to a k4j server.")
final class AgentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL", required = true,
            description = "The k4j server to join, e.g. https://10.0.0.1:6443.")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "The join token: the content of the server's DATA_DIR/server/node-token "
                    + "(K10<ca-hash>::server:<secret>, which also verifies the server's CA) or its bare secret.")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "A file holding the join token.")
    Path tokenFile;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the agent keeps its state (default: /var/lib/k4j as root, ~/.k4j otherwise).")
    Path dataDir;

    @Mixin
    NodeOptions node = new NodeOptions();

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        URI serverUri = serverUri(server);
        JoinToken joinToken = JoinToken.parse(token());
        Path dir = dataDir != null ? dataDir : ServerCommand.defaultDataDir();
        RuntimeChoice runtime = node.chooseRuntime();
        String nodeName = node.nodeName();
        Path tls = dir.resolve("agent").resolve("tls");
        List<AutoCloseable> running = new ArrayList<>();
        try {
            ClusterJoin.TrustedCa ca = ClusterJoin.trustCa(serverUri, joinToken, tls);
            if (ca.warning() != null) {
                out.printf("k4j agent: warning: %s%n", ca.warning());
            }
            KubernetesClient client = client(serverUri, ca, joinToken);
            if (runtime.isSimulated()) {
                SimulatedNodes nodes = SimulatedNodes.builder().client(client).count(0).namedNodes(List.of(nodeName))
                        .start();
                running.add(client);
                running.add(nodes);
            } else {
                running.add(KubeletLauncher.start(node, runtime, client, dir,
                        ClusterJoin.servingCertificateIssuer(serverUri, joinToken, ca),
                        ClusterJoin.firstCertificate(ca.pem()), Map.of()));
            }
        } catch (IOException e) {
            running.reversed().forEach(AgentCommand::closeQuietly);
            throw new IllegalArgumentException("cannot join " + serverUri + ": " + e.getMessage(), e);
        }
        KubeletLauncher.announce(out, "k4j agent", nodeName, runtime);
        out.printf("k4j agent: joined %s%n", serverUri);
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.reversed().forEach(AgentCommand::closeQuietly);
            stopped.countDown();
        }, "k4j-agent-shutdown"));
        stopped.await();
        return 0;
    }

    private String token() throws IOException {
        if ((token == null) == (tokenFile == null)) {
            throw new IllegalArgumentException("give the join token with either --token or --token-file");
        }
        if (tokenFile == null) {
            return token;
        }
        try {
            return java.nio.file.Files.readString(tokenFile);
        } catch (IOException e) {
            throw new IllegalArgumentException("--token-file: cannot read " + tokenFile + ": " + e.getMessage());
        }
    }

    static URI serverUri(String url) {
        URI uri;
        try {
            uri = URI.create(url.endsWith("/") ? url : url + "/");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--server: \"" + url + "\" is not a URL");
        }
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--server: \"" + url + "\" is not an https://HOST:PORT URL");
        }
        return uri;
    }

    /** The API client of the node: the server's CA, the join token as its bearer token. */
    private static KubernetesClient client(URI server, ClusterJoin.TrustedCa ca, JoinToken token) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(server.toString())
                .withCaCertData(Base64.getEncoder().encodeToString(ca.pem()))
                .withOauthToken(token.secret())
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            System.err.println("k4j agent: stopping " + closeable + " failed: " + e);
        }
    }
}

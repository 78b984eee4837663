package io.k4j.kubelet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.k4j.apiserver.server.ApiServer;
import io.k4j.kubelet.logs.CriLogLine;
import io.k4j.pki.CertificateAuthority;
import io.k4j.pki.IssuedCertificate;
import io.k4j.pki.Pem;
import io.k4j.store.sqlite.SqliteStore;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The real kubectl and fabric8 against an in-process API server that proxies pods/log, exec, attach and
 * port-forward to a {@link KubeletServer} on loopback, whose runtime runs local processes and connects to loopback
 * ports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamingThroughApiServerTest {

    private static final Instant T0 = Instant.parse("2026-11-27T01:00:00.5Z");

    private Path dir;
    private SqliteStore store;
    private ApiServer apiServer;
    private KubeletServer kubelet;
    private KubernetesClient client;
    private FakePodContainers pods;
    private LocalProcessRuntime runtime;
    private ServerSocket echoServer;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("k4j-streaming-S-");
        store = SqliteStore.open(dir.resolve("db/state.db"));
        apiServer = ApiServer.builder().dataDir(dir).store(store).listen("127.0.0.1", 0).version("test").start();
        Path tls = dir.resolve("server/tls");
        CertificateAuthority ca = new CertificateAuthority(new IssuedCertificate(
                Pem.readCertificate(tls.resolve("ca.crt")), Pem.readPrivateKey(tls.resolve("ca.key"))));
        IssuedCertificate serving = ca.issueServer("node-s", List.of("localhost"),
                List.of(InetAddress.getByName("127.0.0.1")), Instant.now());
        Path logs = Files.createDirectories(dir.resolve("logs"));
        pods = new FakePodContainers("default", "web", Set.of("main", "follow"), logs);
        runtime = new LocalProcessRuntime(List.of("sh", "-c", "echo attached; read line; echo got $line"));
        kubelet = KubeletServer.builder().bind("127.0.0.1", 0).tls(serving, ca.certificate().certificate())
                .pods(pods).runtime(runtime).clock(InstantSource.fixed(T0.plusSeconds(3))).start();
        Files.writeString(logs.resolve("main.log"), CriLogLine.format(T0, "stdout", false, "one")
                + CriLogLine.format(T0.plusSeconds(1), "stderr", false, "two")
                + CriLogLine.format(T0.plusSeconds(2), "stdout", true, "thr")
                + CriLogLine.format(T0.plusSeconds(2), "stdout", false, "ee"));
        Files.writeString(logs.resolve("follow.log"), CriLogLine.format(T0, "stdout", false, "before"));

        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(apiServer.kubeconfig())))
                .build();
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-s").endMetadata().build()).create();
        client.nodes().withName("node-s").editStatus(node -> new NodeBuilder(node).withNewStatus()
                .addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(kubelet.address().getPort())
                .endKubeletEndpoint().endDaemonEndpoints().endStatus().build());
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withNodeName("node-s")
                .addNewContainer().withName("main").withImage("busybox").endContainer()
                .addNewContainer().withName("follow").withImage("busybox").endContainer()
                .endSpec().build()).create();
        client.pods().inNamespace("default").withName("web").editStatus(pod -> new PodBuilder(pod).withNewStatus()
                .withPhase("Running").endStatus().build());
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("pending")
                .endMetadata().withNewSpec().addNewContainer().withName("main").withImage("busybox").endContainer()
                .endSpec().build()).create();
        echoServer = startEchoServer();
    }

    @AfterAll
    void stop() throws Exception {
        if (echoServer != null) {
            echoServer.close();
        }
        if (client != null) {
            client.close();
        }
        if (kubelet != null) {
            kubelet.close();
        }
        if (apiServer != null) {
            apiServer.close();
        }
        if (store != null) {
            store.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static void assumeKubectl() {
        boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(entry -> Files.isExecutable(Path.of(entry, "kubectl")));
        Assumptions.assumeTrue(found, "kubectl is not on PATH: these tests drive the real kubectl");
    }

    record Result(int exit, String out, String err) {
    }

    private Result kubectl(String stdin, Map<String, String> env, String... args) throws Exception {
        assumeKubectl();
        List<String> command = new ArrayList<>(List.of("kubectl"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("KUBECONFIG", apiServer.kubeconfig().toString());
        builder.environment().put("HOME", dir.toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = Thread.ofVirtual().start(() -> copy(process.getErrorStream(), err));
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        errReader.join();
        return new Result(process.exitValue(), out, err.toString(StandardCharsets.UTF_8));
    }

    private Result kubectl(String... args) throws Exception {
        return kubectl(null, Map.of(), args);
    }

    private static void copy(InputStream from, OutputStream to) {
        try {
            from.transferTo(to);
        } catch (IOException e) {
            // the process ended
        }
    }

    @Test
    void logsWithTailTimestampsLimitAndSince() throws Exception {
        assertThat(kubectl("logs", "web", "-c", "main").out()).isEqualTo("one\ntwo\nthree\n");
        assertThat(kubectl("logs", "web", "-c", "main", "--tail=1").out()).isEqualTo("three\n");
        assertThat(kubectl("logs", "web", "-c", "main", "--tail=1", "--timestamps").out())
                .isEqualTo("2026-11-27T01:00:02.5Z three\n");
        assertThat(kubectl("logs", "web", "-c", "main", "--limit-bytes=6").out()).isEqualTo("one\ntw");
        assertThat(kubectl("logs", "web", "-c", "main", "--since=2s").out()).isEqualTo("two\nthree\n");
    }

    @Test
    void logErrorsAreStatuses() throws Exception {
        Result unknown = kubectl("logs", "web", "-c", "nope");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("container nope is not valid for pod web");
        Result unscheduled = kubectl("logs", "pending");
        assertThat(unscheduled.err()).contains("pod pending does not have a host assigned");
        Result missing = kubectl("logs", "web", "-c", "main", "--previous");
        assertThat(missing.err()).contains("previous terminated container \"main\" in pod \"web\" not found");
    }

    @Test
    void anUnreachableKubeletIsAnErrorNotAHang() throws Exception {
        int closedPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = free.getLocalPort();
        }
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-gone").endMetadata().build())
                .create();
        client.nodes().withName("node-gone").editStatus(node -> new NodeBuilder(node).withNewStatus()
                .addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(closedPort)
                .endKubeletEndpoint().endDaemonEndpoints().endStatus().build());
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("orphan")
                .endMetadata().withNewSpec().withNodeName("node-gone").addNewContainer().withName("main")
                .withImage("busybox").endContainer().endSpec().build()).create();
        client.pods().inNamespace("default").withName("orphan").editStatus(pod -> new PodBuilder(pod).withNewStatus()
                .withPhase("Running").endStatus().build());
        Result logs = kubectl("logs", "orphan");
        assertThat(logs.exit()).isNotZero();
        assertThat(logs.err()).contains("Error from server (InternalError)");
        Result exec = kubectl("exec", "orphan", "--", "true");
        assertThat(exec.exit()).isNotZero();
        assertThat(exec.err()).contains("error dialing backend");
    }

    @Test
    void logsFollowUntilTheContainerExits() throws Exception {
        assumeKubectl();
        ProcessBuilder builder = new ProcessBuilder("kubectl", "logs", "-f", "web", "-c", "follow");
        builder.environment().put("KUBECONFIG", apiServer.kubeconfig().toString());
        builder.environment().put("HOME", dir.toString());
        Process process = builder.redirectErrorStream(true).start();
        InputStream out = process.getInputStream();
        StringBuilder seen = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                int c;
                while ((c = out.read()) >= 0) {
                    synchronized (seen) {
                        seen.append((char) c);
                    }
                }
            } catch (IOException e) {
                // ended
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> { synchronized (seen) { return seen.toString().equals("before\n"); } });
        Files.writeString(dir.resolve("logs/follow.log"), CriLogLine.format(T0.plusSeconds(5), "stdout", false, "after"),
                StandardOpenOption.APPEND);
        await().atMost(Duration.ofSeconds(20)).until(() -> { synchronized (seen) { return seen.toString().contains("after"); } });
        assertThat(process.isAlive()).isTrue();
        pods.exited.add("follow");
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        reader.join();
        assertThat(seen.toString()).isEqualTo("before\nafter\n");
        assertThat(process.exitValue()).isZero();
    }

    @Test
    void execReportsTheExitCodeOverWebSocketAndSpdy() throws Exception {
        for (Map<String, String> env : List.of(Map.<String, String>of(),
                Map.of("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false"))) {
            Result failed = kubectl(null, env, "exec", "web", "-c", "main", "--", "sh", "-c", "echo out; echo err >&2; exit 7");
            assertThat(failed.exit()).as("exit code with %s", env).isEqualTo(7);
            assertThat(failed.out()).isEqualTo("out\n");
            assertThat(failed.err()).contains("err\n");
            Result piped = kubectl("hello\nworld\n", env, "exec", "-i", "web", "-c", "main", "--", "sort", "-r");
            assertThat(piped.exit()).as(piped.err()).isZero();
            assertThat(piped.out()).isEqualTo("world\nhello\n");
        }
    }

    @Test
    void attachOverWebSocketAndSpdy() throws Exception {
        for (Map<String, String> env : List.of(Map.<String, String>of(),
                Map.of("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false"))) {
            Result attached = kubectl("x\n", env, "attach", "-i", "web", "-c", "main");
            assertThat(attached.out()).as(attached.err()).contains("attached\n").contains("got x\n");
        }
    }

    @Test
    void portForwardOverSpdyInWebSocketAndPlainSpdy() throws Exception {
        for (Map<String, String> env : List.of(Map.<String, String>of(),
                Map.of("KUBECTL_PORT_FORWARD_WEBSOCKETS", "false"))) {
            assumeKubectl();
            int local;
            try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                local = free.getLocalPort();
            }
            ProcessBuilder builder = new ProcessBuilder("kubectl", "port-forward", "--address", "127.0.0.1", "pod/web",
                    local + ":" + echoServer.getLocalPort());
            builder.environment().put("KUBECONFIG", apiServer.kubeconfig().toString());
            builder.environment().put("HOME", dir.toString());
            builder.environment().putAll(env);
            Process process = builder.redirectErrorStream(true).start();
            try {
                StringBuilder output = new StringBuilder();
                Thread.ofVirtual().start(() -> {
                    try {
                        int c;
                        while ((c = process.getInputStream().read()) >= 0) {
                            synchronized (output) {
                                output.append((char) c);
                            }
                        }
                    } catch (IOException e) {
                        // ended
                    }
                });
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    synchronized (output) {
                        return output.toString().contains("Forwarding from");
                    }
                });
                for (int connection = 0; connection < 2; connection++) {
                    assertThat(echoThrough(local, "ping " + connection)).as(output::toString).isEqualTo("ping " + connection);
                }
            } finally {
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void portForwardToAClosedPodPortReportsTheError() throws Exception {
        assumeKubectl();
        int local;
        int closed;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            local = free.getLocalPort();
            closed = other.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder("kubectl", "port-forward", "--address", "127.0.0.1", "pod/web",
                local + ":" + closed);
        builder.environment().put("KUBECONFIG", apiServer.kubeconfig().toString());
        builder.environment().put("HOME", dir.toString());
        Process process = builder.redirectErrorStream(true).start();
        try {
            StringBuilder output = new StringBuilder();
            Thread.ofVirtual().start(() -> {
                try {
                    int c;
                    while ((c = process.getInputStream().read()) >= 0) {
                        synchronized (output) {
                            output.append((char) c);
                        }
                    }
                } catch (IOException e) {
                    // ended
                }
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                synchronized (output) {
                    return output.toString().contains("Forwarding from");
                }
            });
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), local)) {
                socket.setSoTimeout(10_000);
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                synchronized (output) {
                    return output.toString().contains("error forwarding port " + closed);
                }
            });
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void fabric8ExecAndPortForwardUseTheV4ChannelProtocol() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ExecWatch watch = client.pods().inNamespace("default").withName("web").inContainer("main")
                .writingOutput(out).exec("sh", "-c", "echo fabric8; exit 3")) {
            assertThat(watch.exitCode().get(20, TimeUnit.SECONDS)).isEqualTo(3);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("fabric8\n");
        ByteArrayOutputStream tty = new ByteArrayOutputStream();
        try (ExecWatch watch = client.pods().inNamespace("default").withName("web").inContainer("main")
                .redirectingInput().writingOutput(tty).withTTY().exec("sh", "-c", "read x; echo on-tty-$x >&2")) {
            watch.resize(120, 40);
            await().atMost(Duration.ofSeconds(10)).until(() -> runtime.resizes.contains("120x40"));
            watch.getInput().write("hi\n".getBytes(StandardCharsets.UTF_8));
            watch.getInput().flush();
            assertThat(watch.exitCode().get(20, TimeUnit.SECONDS)).isZero();
        }
        // With a tty there is no stderr: the terminal (here: the merged process output) carries both.
        assertThat(tty.toString(StandardCharsets.UTF_8)).isEqualTo("on-tty-hi\n");
        try (LocalPortForward forward = client.pods().inNamespace("default").withName("web")
                .portForward(echoServer.getLocalPort())) {
            assertThat(echoThrough(forward.getLocalPort(), "via fabric8")).isEqualTo("via fabric8");
        }
    }

    private static String echoThrough(int port, String text) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((text + "\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = socket.getInputStream().read()) >= 0 && c != '\n') {
                line.append((char) c);
            }
            return line.toString();
        }
    }

    /** A loopback TCP server that echoes each connection, standing in for a port inside the pod. */
    private static ServerSocket startEchoServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (socket) {
                            socket.getInputStream().transferTo(socket.getOutputStream());
                        } catch (IOException e) {
                            // the client went away
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server;
    }
}

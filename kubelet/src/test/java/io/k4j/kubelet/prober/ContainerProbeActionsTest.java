package io.k4j.kubelet.prober;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.k4j.kubelet.runtime.ExecResult;
import io.k4j.pki.CertificateAuthority;
import io.k4j.pki.IssuedCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContainerProbeActionsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final List<ProbeActions.Header> NO_HEADERS = List.of();

    private final CountDownLatch release = new CountDownLatch(1);
    private final Map<String, String> seenHeaders = new ConcurrentHashMap<>();
    private HttpServer server;
    private int port;
    private final ContainerProbeActions actions = new ContainerProbeActions(FakeRuntimes.backedBy(new Object() {
        @SuppressWarnings("unused")
        public ExecResult execSync(String id, List<String> command, Duration timeout) {
            return switch (command.getLast()) {
                case "ok" -> new ExecResult(0, bytes("fine\n"), bytes(""), false);
                case "fail" -> new ExecResult(2, bytes("out "), bytes("err"), false);
                case "hang" -> new ExecResult(-1, bytes(""), bytes(""), true);
                default -> throw new IllegalStateException("unexpected " + command);
            };
        }
    }));

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        port = server.getAddress().getPort();
        addHandlers(server);
        server.start();
    }

    private void addHandlers(HttpServer target) {
        target.createContext("/ok", exchange -> reply(exchange, 200, "fine"));
        target.createContext("/nocontent", exchange -> reply(exchange, 204, ""));
        target.createContext("/fail", exchange -> reply(exchange, 503, "down"));
        target.createContext("/same", exchange -> redirect(exchange, "/ok?from=same"));
        target.createContext("/other", exchange -> redirect(exchange, "http://localhost:" + port + "/ok"));
        target.createContext("/loop", exchange -> redirect(exchange, "/loop"));
        target.createContext("/notmodified", exchange -> reply(exchange, 304, ""));
        target.createContext("/big", exchange -> reply(exchange, 200, "x".repeat(1 << 20)));
        target.createContext("/chunked", exchange -> {
            exchange.sendResponseHeaders(200, 0); // no length: the JDK server sends chunks
            try (var out = exchange.getResponseBody()) {
                out.write(bytes("first,"));
                out.flush();
                out.write(bytes("second"));
            }
        });
        target.createContext("/headers", exchange -> {
            exchange.getRequestHeaders().forEach((name, values) -> seenHeaders.put(name, String.join(",", values)));
            reply(exchange, 200, "");
        });
        target.createContext("/slow", exchange -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(exchange, 200, "late");
        });
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] data = bytes(body);
        exchange.sendResponseHeaders(status, data.length == 0 ? -1 : data.length);
        if (data.length > 0) {
            try (var out = exchange.getResponseBody()) {
                out.write(data);
            } catch (IOException e) {
                // the probe stops reading after 10 KiB
            }
        }
        exchange.close();
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        reply(exchange, 302, "moved");
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
    }

    private ProbeResult get(String path) {
        return actions.httpGet("127.0.0.1", port, path, "http", NO_HEADERS, TIMEOUT);
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
        "/ok          | SUCCESS | 200 | fine",
        "/nocontent   | SUCCESS | 204 | ''",
        "/chunked     | SUCCESS | 200 | first,second",
        "/same        | SUCCESS | 200 | fine",
        "/fail        | FAILURE | 503 | HTTP probe failed with statuscode: 503",
        "/other       | WARNING | 302 | Probe terminated redirects, Response body: moved",
        "/notmodified | WARNING | 304 | 'Probe terminated redirects, Response body: '",
    })
    void httpGetJudgesByStatusAndFollowsRedirectsOnlyOnTheSameHost(String path, ProbeResult.Outcome outcome,
            int status, String output) {
        assertThat(get(path)).isEqualTo(new ProbeResult(outcome, output, status));
    }

    @Test
    void httpGetStopsAfterTenRedirects() {
        assertThat(get("/loop")).isEqualTo(new ProbeResult(ProbeResult.Outcome.FAILURE,
                "Get \"http://127.0.0.1:" + port + "/loop\": stopped after 10 redirects", 302));
    }

    @Test
    void httpGetReadsAtMostTenKibOfTheBody() {
        ProbeResult result = get("/big");

        assertThat(result.outcome()).isEqualTo(ProbeResult.Outcome.SUCCESS);
        assertThat(result.output()).hasSize(10 * 1024);
    }

    @Test
    void httpGetTimesOutWithGosClientTimeoutMessage() {
        long start = System.nanoTime();
        ProbeResult result = actions.httpGet("127.0.0.1", port, "/slow", "http", NO_HEADERS, Duration.ofMillis(300));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(result).isEqualTo(ProbeResult.failure("Get \"http://127.0.0.1:" + port
                + "/slow\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"));
    }

    @Test
    void httpGetSendsTheProbeHeadersAndAHostOverride() {
        List<ProbeActions.Header> headers = List.of(new ProbeActions.Header("User-Agent", "kube-probe/1.32"),
                new ProbeActions.Header("X-Custom", "yes"), new ProbeActions.Header("Host", "example.test"));

        assertThat(actions.httpGet("127.0.0.1", port, "headers", "http", headers, TIMEOUT).outcome())
                .isEqualTo(ProbeResult.Outcome.SUCCESS);
        assertThat(seenHeaders).containsEntry("User-agent", "kube-probe/1.32").containsEntry("X-custom", "yes")
                .containsEntry("Host", "example.test").containsEntry("Accept", "*/*")
                .containsEntry("Connection", "close");
    }

    @Test
    void httpGetToAClosedPortFailsLikeGosDialer() throws IOException {
        int closed = freePort();

        assertThat(actions.httpGet("127.0.0.1", closed, "/ok", "http", NO_HEADERS, TIMEOUT))
                .isEqualTo(ProbeResult.failure("Get \"http://127.0.0.1:" + closed + "/ok\": dial tcp 127.0.0.1:"
                        + closed + ": connect: connection refused"));
    }

    @Test
    void httpsSkipsCertificateVerification() throws Exception {
        Instant now = Instant.now();
        IssuedCertificate leaf = CertificateAuthority.create("probe-test-ca", now)
                .issueServer("elsewhere", List.of("elsewhere.test"), List.of(), now);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("leaf", leaf.privateKey(), new char[0], new Certificate[] {leaf.certificate()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        addHandlers(https);
        https.start();
        try {
            assertThat(actions.httpGet("127.0.0.1", https.getAddress().getPort(), "/ok", "https", NO_HEADERS,
                    TIMEOUT)).isEqualTo(new ProbeResult(ProbeResult.Outcome.SUCCESS, "fine", 200));
        } finally {
            https.stop(0);
        }
    }

    @Test
    void tcpSucceedsWhenSomethingListensAndFailsLikeGosDialerOtherwise() throws IOException {
        assertThat(actions.tcp("127.0.0.1", port, TIMEOUT)).isEqualTo(ProbeResult.success(""));
        int closed = freePort();
        assertThat(actions.tcp("127.0.0.1", closed, TIMEOUT)).isEqualTo(
                ProbeResult.failure("dial tcp 127.0.0.1:" + closed + ": connect: connection refused"));
    }

    @Test
    void execPassesOnExitZeroAndFailsWithTheCombinedOutputOrUpstreamsTimeoutMessage() {
        assertThat(actions.exec("c1", List.of("check", "ok"), TIMEOUT)).isEqualTo(ProbeResult.success("fine\n"));
        assertThat(actions.exec("c1", List.of("check", "fail"), TIMEOUT))
                .isEqualTo(ProbeResult.failure("out err", 2));
        assertThat(actions.exec("c1", List.of("sh", "-c", "sleep 9; echo \"x\"", "hang"), TIMEOUT))
                .isEqualTo(ProbeResult.failure("command \"sh -c sleep 9; echo \\\"x\\\" hang\" timed out"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

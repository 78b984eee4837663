package io.k4j.ingress;

import static io.k4j.ingress.Fixtures.ingress;
import static io.k4j.ingress.Fixtures.service;
import static io.k4j.ingress.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.ingress.Fixtures.PathSpec;
import io.k4j.kubelet.testing.TestApiServer;
import io.k4j.pki.CertificateAuthority;
import io.k4j.pki.IssuedCertificate;
import io.k4j.ingress.tls.DefaultCertificate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The controller against a real API server, with backends on 127.0.0.1 and the JDK's HTTP client. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IngressControllerTest {

    static {
        // Requests name their virtual host; the JDK client sends a Host header only when allowed to.
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host,connection");
    }

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static TestApiServer api;
    private static KubernetesClient client;
    private static IngressController controller;
    private static HttpClient http;

    private final List<AutoCloseable> backends = new ArrayList<>();
    private String ns;

    @BeforeAll
    static void startController() throws Exception {
        api = TestApiServer.start();
        client = api.client();
        controller = IngressController.builder().client(client).bindAddress("127.0.0.1").httpPort(0).httpsPort(0)
                .nodeAddresses(() -> List.of("192.0.2.10")).syncDelay(Duration.ofMillis(20)).start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stopController() throws Exception {
        if (controller != null) {
            controller.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @AfterEach
    void closeBackends() throws Exception {
        for (AutoCloseable backend : backends) {
            backend.close();
        }
    }

    private TestBackend backend(String name) throws InterruptedException {
        TestBackend backend = TestBackend.start(name);
        backends.add(backend);
        return backend;
    }

    private String namespace() {
        ns = "ingress-" + NAMESPACES.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .create();
        return ns;
    }

    /** A Service "name" on port 80 (named "http") whose slices point at the backends' ports on 127.0.0.1. */
    private void serviceFor(String name, List<String> notReady, TestBackend... ready) {
        client.services().inNamespace(ns).resource(service(ns, name, Map.of("http", new int[] {80, 8080})))
                .create();
        int index = 0;
        for (TestBackend backend : ready) {
            createSlice(slice(ns, name, name + "-" + index++, "http", backend.port(), List.of("127.0.0.1"),
                    List.of()));
        }
        if (!notReady.isEmpty()) {
            createSlice(slice(ns, name, name + "-down", "http", 1, List.of(), notReady));
        }
    }

    private void createSlice(EndpointSlice slice) {
        client.discovery().v1().endpointSlices().inNamespace(ns).resource(slice).create();
    }

    private Ingress createIngress(Ingress ingress) {
        return client.network().v1().ingresses().inNamespace(ns).resource(ingress).create();
    }

    private HttpResponse<String> get(String host, String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + controller.httpPort() + path)).timeout(Duration.ofSeconds(10));
        if (host != null) {
            request.header("Host", host);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String backendOf(HttpResponse<String> response) {
        return TestBackend.parse(response.body()).get("backend");
    }

    private void awaitStatus(String host, String path, int status) {
        await().atMost(Duration.ofSeconds(10)).until(() -> get(host, path).statusCode() == status);
    }

    @Test
    void aPortInUseIsAClearErrorAndLeavesNothingListening() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            int free;
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
                free = probe.getLocalPort();
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> IngressController.builder().client(client)
                            .bindAddress("127.0.0.1").httpPort(free).httpsPort(taken.getLocalPort()).start())
                    .isInstanceOf(java.io.UncheckedIOException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
            // the HTTP port it had bound before the HTTPS one failed is given back
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
                try (java.net.ServerSocket again = new java.net.ServerSocket(free, 1,
                        java.net.InetAddress.getByName("127.0.0.1"))) {
                    assertThat(again.getLocalPort()).isEqualTo(free);
                }
            });
        }
    }

    @Test
    void routesTwoHostsAndTwoPathsToTwoServicesAndSpreadsOverEndpoints() throws Exception {
        namespace();
        TestBackend a1 = backend("a1");
        TestBackend a2 = backend("a2");
        TestBackend b = backend("b");
        serviceFor("svc-a", List.of(), a1, a2);
        serviceFor("svc-b", List.of(), b);
        createIngress(ingress(ns, "web", null, null, List.of(
                new PathSpec("a.test", "Prefix", "/", "svc-a", 80),
                new PathSpec("a.test", "Prefix", "/b", "svc-b", "http"),
                new PathSpec("b.test", "Exact", "/only", "svc-b", 80))));
        awaitStatus("b.test", "/only", 200);

        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = get("a.test", "/page");
            assertThat(response.statusCode()).isEqualTo(200);
            seen.add(backendOf(response));
        }
        assertThat(seen).containsExactlyInAnyOrder("a1", "a2");
        assertThat(a1.requests()).isEqualTo(5);
        assertThat(a2.requests()).isEqualTo(5);
        assertThat(backendOf(get("a.test", "/b/c"))).isEqualTo("b");
        assertThat(backendOf(get("a.test", "/bc"))).isIn("a1", "a2");
        assertThat(backendOf(get("b.test", "/only"))).isEqualTo("b");
        assertThat(get("b.test", "/only/more").statusCode()).isEqualTo(404);
        assertThat(get("c.test", "/").statusCode()).isEqualTo(404);

        // Classless, served because k4j is the default class; the class itself was created by start().
        IngressClass k4j = client.network().v1().ingressClasses().withName("k4j").get();
        assertThat(k4j.getSpec().getController()).isEqualTo(IngressController.CONTROLLER);
        assertThat(k4j.getMetadata().getAnnotations()).containsEntry("ingressclass.kubernetes.io/is-default-class",
                "true");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Ingress web = client.network().v1().ingresses().inNamespace(ns).withName("web").get();
            assertThat(web.getStatus().getLoadBalancer().getIngress()).extracting(IngressLoadBalancerIngress::getIp)
                    .containsExactly("192.0.2.10");
        });
    }

    @Test
    void ingressesOfAnotherClassAreNotServedNorTouched() throws Exception {
        namespace();
        TestBackend b = backend("b");
        serviceFor("svc", List.of(), b);
        createIngress(ingress(ns, "other", "nginx", null, List.of(new PathSpec("n.test", "Prefix", "/", "svc", 80))));
        createIngress(ingress(ns, "mine", "k4j", null, List.of(new PathSpec("m.test", "Prefix", "/", "svc", 80))));
        awaitStatus("m.test", "/", 200);
        assertThat(get("n.test", "/").statusCode()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.network().v1().ingresses().inNamespace(ns)
                .withName("mine").get().getStatus() != null);
        Ingress other = client.network().v1().ingresses().inNamespace(ns).withName("other").get();
        assertThat(other.getStatus() == null || other.getStatus().getLoadBalancer() == null
                || other.getStatus().getLoadBalancer().getIngress().isEmpty()).isTrue();
    }

    @Test
    void answers503WhenTheServiceHasNoReadyEndpoint() throws Exception {
        namespace();
        serviceFor("svc", List.of("127.0.0.1"));
        createIngress(ingress(ns, "web", null, null, List.of(new PathSpec("down.test", "Prefix", "/", "svc", 80))));
        awaitStatus("down.test", "/", 503);
        assertThat(get("down.test", "/").body()).contains("503").contains("no ready endpoint");
    }

    @Test
    void retriesAnotherEndpointWhenOneRefusesConnections() throws Exception {
        namespace();
        TestBackend alive = backend("alive");
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = socket.getLocalPort();
        }
        serviceFor("svc", List.of(), alive);
        createSlice(slice(ns, "svc", "svc-dead", "http", deadPort, List.of("127.0.0.1"), List.of()));
        createIngress(ingress(ns, "web", null, null, List.of(new PathSpec("retry.test", "Prefix", "/", "svc", 80))));
        // Both endpoints in the table: then every request lands on the live one, half of them after a retry.
        await().atMost(Duration.ofSeconds(10)).until(() -> controller.routeFor("retry.test", "/")
                .map(backend -> backend.endpoints().size()).orElse(0) == 2);
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> response = get("retry.test", "/" + i);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(backendOf(response)).isEqualTo("alive");
        }
        assertThat(alive.requests()).isEqualTo(6);
    }

    @Test
    void sendsAnIdempotentRequestAgainWhenAReusedConnectionClosesUnanswered() throws Exception {
        namespace();
        TestBackend b = backend("flaky");
        serviceFor("svc", List.of(), b);
        createIngress(ingress(ns, "web", null, null, List.of(new PathSpec("flaky.test", "Prefix", "/", "svc", 80))));
        awaitStatus("flaky.test", "/flaky/first", 200);
        // Each connection answers once: every later request meets a closing pooled connection first.
        for (int i = 0; i < 3; i++) {
            assertThat(get("flaky.test", "/flaky/" + i).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + controller.httpPort() + "/flaky/post"))
                .header("Host", "flaky.test").POST(HttpRequest.BodyPublishers.ofString("once only")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(502);
    }

    @Test
    void addsForwardedHeadersAndStreamsLargeBodies() throws Exception {
        namespace();
        TestBackend b = backend("b");
        serviceFor("svc", List.of(), b);
        createIngress(ingress(ns, "web", null, null, List.of(new PathSpec("fw.test", "Prefix", "/", "svc", 80))));
        awaitStatus("fw.test", "/", 200);

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + controller.httpPort() + "/upload?x=1"))
                .header("Host", "fw.test").header("X-Forwarded-For", "203.0.113.7")
                .header("Connection", "keep-alive, X-Drop-Me").header("X-Drop-Me", "hop-by-hop")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[24 * 1024 * 1024])).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, String> seen = TestBackend.parse(response.body());
        // HTTP/1.0 gets no chunks: the chunked answer arrives whole, ended by the close.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", controller.httpPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /chunked HTTP/1.0\r\nHost: fw.test\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("\r\n\r\none,two,three")
                    .doesNotContainIgnoringCase("transfer-encoding");
        }
        HttpResponse<String> chunked = get("fw.test", "/chunked");
        assertThat(chunked.body()).isEqualTo("one,two,three");
        HttpResponse<byte[]> big = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + controller.httpPort() + "/big?bytes=" + 32 * 1024 * 1024)).header("Host", "fw.test").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(big.body()).hasSize(32 * 1024 * 1024);
        assertThat(seen).containsEntry("request", "POST /upload?x=1")
                .containsEntry("host", "fw.test")
                .containsEntry("x-forwarded-for", "203.0.113.7, 127.0.0.1")
                .containsEntry("x-real-ip", "127.0.0.1")
                .containsEntry("x-forwarded-proto", "http")
                .containsEntry("x-forwarded-host", "fw.test")
                .containsEntry("x-forwarded-port", String.valueOf(controller.httpPort()))
                .containsEntry("body-length", String.valueOf(24 * 1024 * 1024))
                .doesNotContainKey("x-drop-me");
    }

    @Test
    void aRouteChangeDoesNotBreakARequestInFlight() throws Exception {
        namespace();
        TestBackend old = backend("old");
        TestBackend fresh = backend("new");
        serviceFor("svc-old", List.of(), old);
        serviceFor("svc-new", List.of(), fresh);
        createIngress(ingress(ns, "web", null, null, List.of(new PathSpec("move.test", "Prefix", "/", "svc-old",
                80))));
        awaitStatus("move.test", "/", 200);

        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + controller.httpPort() + "/slow?ms=1500"))
                .header("Host", "move.test").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(old.awaitSlowRequest(10)).isTrue();
        client.network().v1().ingresses().inNamespace(ns).withName("web").edit(current -> new IngressBuilder(current)
                .withSpec(ingress(ns, "web", null, null, List.of(new PathSpec("move.test", "Prefix", "/", "svc-new",
                        80))).getSpec()).build());
        client.discovery().v1().endpointSlices().inNamespace(ns).withName("svc-old-0").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> "new".equals(backendOf(get("move.test", "/"))));

        HttpResponse<String> response = slow.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(backendOf(response)).isEqualTo("old");
    }

    @Test
    void servesTlsWithTheSecretOfTheServerNameAndTheDefaultCertificateOtherwise() throws Exception {
        namespace();
        TestBackend b = backend("secure");
        serviceFor("svc", List.of(), b);
        CertificateAuthority ca = CertificateAuthority.create("test-ca", Instant.now());
        IssuedCertificate secure = ca.issueServer("secure.test", List.of("secure.test"),
                List.of(InetAddress.getLoopbackAddress()), Instant.now());
        client.secrets().inNamespace(ns).resource(Fixtures.tlsSecret(ns, "secure-tls", secure)).create();
        Secret broken = new SecretBuilder(Fixtures.tlsSecret(ns, "broken-tls", secure))
                .addToData("tls.key", Fixtures.base64("-----BEGIN PRIVATE KEY-----\nnot a key\n"
                        + "-----END PRIVATE KEY-----\n")).build();
        client.secrets().inNamespace(ns).resource(broken).create();
        Ingress web = Fixtures.withTls(Fixtures.withTls(ingress(ns, "web", null, null, List.of(
                        new PathSpec("secure.test", "Prefix", "/", "svc", 80),
                        new PathSpec("broken.test", "Prefix", "/", "svc", 80),
                        new PathSpec(null, "Prefix", "/h2", "svc", 80))),
                "secure-tls", "secure.test"), "broken-tls", "broken.test");
        createIngress(web);

        SSLContext trustingCa = sslContextTrusting(ca.certificate().certificate());
        await().atMost(Duration.ofSeconds(10)).until(() -> "secure.test".equals(
                commonName(tlsGet(trustAll(), "secure.test", "/").peer())));
        TlsExchange exchange = tlsGet(trustingCa, "secure.test", "/");
        assertThat(exchange.response()).startsWith("HTTP/1.1 200").contains("backend: secure")
                .contains("x-forwarded-proto: https");
        assertThat(ca.issued(exchange.peer())).isTrue();

        assertThat(commonName(tlsGet(trustAll(), "unknown.test", "/").peer()))
                .isEqualTo(DefaultCertificate.COMMON_NAME);
        TlsExchange brokenExchange = tlsGet(trustAll(), "broken.test", "/");
        assertThat(commonName(brokenExchange.peer())).isEqualTo(DefaultCertificate.COMMON_NAME);
        assertThat(brokenExchange.response()).startsWith("HTTP/1.1 200");

        try (SSLSocket socket = (SSLSocket) trustingCa.getSocketFactory().createSocket("127.0.0.1",
                controller.httpsPort())) {
            SSLParameters alpn = socket.getSSLParameters();
            alpn.setServerNames(List.of(new SNIHostName("secure.test")));
            alpn.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            socket.setSSLParameters(alpn);
            socket.startHandshake();
            assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
        }
        // HTTP/2 through ALPN, with the certificate of the server name the client asks for.
        // The JDK client offers h2 only when its parameters name TLS 1.2 or 1.3: start from the context's defaults.
        SSLParameters parameters = trustingCa.getDefaultSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName("secure.test")));
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(trustingCa)
                .sslParameters(parameters).build();
        HttpResponse<String> response = h2.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + controller.httpsPort() + "/h2/x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestBackend.parse(response.body())).containsEntry("request", "GET /h2/x")
                .containsEntry("x-forwarded-proto", "https");
        HttpResponse<String> post = h2.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + controller.httpsPort() + "/h2/post"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[3 * 1024 * 1024])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(TestBackend.parse(post.body())).containsEntry("body-length", String.valueOf(3 * 1024 * 1024));
        HttpResponse<byte[]> big = h2.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                + controller.httpsPort() + "/h2/big?bytes=" + 8 * 1024 * 1024)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(big.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(big.body()).hasSize(8 * 1024 * 1024);
    }

    @Test
    void servesHttp2WithPriorKnowledgeOnThePlainPort() throws Exception {
        Path curl = Path.of("/usr/bin/curl");
        assumeTrue(Files.isExecutable(curl), "curl is not installed");
        namespace();
        TestBackend b = backend("h2c");
        serviceFor("svc", List.of(), b);
        createIngress(ingress(ns, "web", null, null, List.of(new PathSpec("h2c.test", "Prefix", "/", "svc", 80))));
        awaitStatus("h2c.test", "/", 200);
        Process process = new ProcessBuilder(curl.toString(), "-s", "--http2-prior-knowledge", "-H",
                "Host: h2c.test", "-w", "\nversion: %{http_version}\n",
                "http://127.0.0.1:" + controller.httpPort() + "/prior").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).isZero();
        assertThat(TestBackend.parse(output)).containsEntry("backend", "h2c").containsEntry("version", "2")
                .containsEntry("request", "GET /prior").containsEntry("x-forwarded-proto", "http");
    }

    @Test
    void passesWebSocketsThrough() throws Exception {
        namespace();
        TestBackend b = backend("ws-backend");
        serviceFor("svc", List.of(), b);
        createIngress(ingress(ns, "web", null, null, List.of(new PathSpec(null, "Prefix", "/ws", "svc", 80))));
        awaitStatus(null, "/ws/plain", 200);

        CompletableFuture<String> echoed = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(
                URI.create("ws://127.0.0.1:" + controller.httpPort() + "/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        echoed.complete(data.toString());
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText("hello", true);
        assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("ws-backend: hello");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }

    private record TlsExchange(X509Certificate peer, String response) {
    }

    /** One HTTP/1.1 request over TLS with the given server name (SNI), Host set to it as well. */
    private TlsExchange tlsGet(SSLContext context, String serverName, String path) throws Exception {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1",
                controller.httpsPort())) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(serverName)));
            parameters.setApplicationProtocols(new String[] {"h2-probe", "http/1.1"});
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            X509Certificate peer = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + serverName + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder response = new StringBuilder();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                response.append(line).append('\n');
            }
            return new TlsExchange(peer, response.toString());
        }
    }

    private static String commonName(X509Certificate certificate) {
        String subject = certificate.getSubjectX500Principal().getName();
        return subject.replaceAll(".*CN=([^,]*).*", "$1");
    }

    private static SSLContext sslContextTrusting(X509Certificate ca) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("ca", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static SSLContext trustAll() {
        return io.k4j.pki.AnyServerTls.newContext();
    }
}

package io.k4j.kubelet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.pki.CertificateAuthority;
import io.k4j.pki.IssuedCertificate;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Only the API server's kubelet client certificate (or system:masters) may use the kubelet's endpoints. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubeletServerAuthTest {

    @TempDir
    static Path dir;

    private CertificateAuthority ca;
    private KubeletServer server;

    @BeforeAll
    void start() throws Exception {
        Instant now = Instant.now();
        ca = CertificateAuthority.create("test-ca", now);
        IssuedCertificate serving = ca.issueServer("node", List.of("localhost"),
                List.of(InetAddress.getByName("127.0.0.1")), now);
        Files.writeString(dir.resolve("web.log"), "2026-11-27T01:00:00Z stdout F hello\n");
        server = KubeletServer.builder().bind("127.0.0.1", 0).tls(serving, ca.certificate().certificate())
                .pods(new FakePodContainers("default", "p", Set.of("web"), dir))
                .runtime(new LocalProcessRuntime(List.of("true"))).start();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(IssuedCertificate client, String path) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate().certificate());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyManagerFactory keyManagers = null;
        if (client != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("c", client.privateKey(), new char[0], new Certificate[] {client.certificate()});
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, new char[0]);
        }
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        try (HttpClient http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.address().getPort() + path))
                    .build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void apiServerClientReadsLogs() throws Exception {
        IssuedCertificate apiServer = ca.issueClient("kube-apiserver-kubelet-client", List.of(), Instant.now());
        HttpResponse<String> response = get(apiServer, "/containerLogs/default/p/web?timestamps=true");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("2026-11-27T01:00:00Z hello\n");
        HttpResponse<String> master = get(ca.issueClient("admin", List.of("system:masters"), Instant.now()),
                "/containerLogs/default/p/web");
        assertThat(master.body()).isEqualTo("hello\n");
    }

    @Test
    void othersAreRefused() throws Exception {
        assertThat(get(null, "/containerLogs/default/p/web").statusCode()).isEqualTo(401);
        HttpResponse<String> alice = get(ca.issueClient("alice", List.of("devs"), Instant.now()),
                "/containerLogs/default/p/web");
        assertThat(alice.statusCode()).isEqualTo(403);
        assertThat(alice.body()).startsWith("Forbidden (user=alice, verb=get, resource=nodes, subresource=proxy)");
        assertThat(get(null, "/healthz").body()).isEqualTo("ok\n");
    }

    @Test
    void badRequestsSayWhy() throws Exception {
        IssuedCertificate apiServer = ca.issueClient("kube-apiserver-kubelet-client", List.of(), Instant.now());
        assertThat(get(apiServer, "/containerLogs/default/p/web?tailLines=x").body())
                .isEqualTo("tailLines: Invalid value: \"x\": not a number\n");
        assertThat(get(apiServer, "/containerLogs/default/p/nope").statusCode()).isEqualTo(404);
        assertThat(get(apiServer, "/exec/default/p/web?command=ls&stdout=true").body())
                .isEqualTo("Upgrade request required\n");
    }
}

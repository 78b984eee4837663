package io.k4j.apiserver.it;

import io.k4j.pki.ClientTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** Plain HTTPS requests to the test cluster, as the admin (client certificate), with a token, or anonymously. */
final class TestHttp {

    private final TestCluster cluster;
    private final HttpClient admin;
    private final HttpClient anonymous;

    TestHttp(TestCluster cluster, HttpClient.Version version) throws Exception {
        this.cluster = cluster;
        Path tls = cluster.dataDir().resolve("server/tls");
        SSLContext withCertificate = ClientTls.context(tls.resolve("ca.crt"), tls.resolve("admin.crt"),
                tls.resolve("admin.key"));
        SSLContext withoutCertificate = ClientTls.context(tls.resolve("ca.crt"), null, null);
        admin = HttpClient.newBuilder().sslContext(withCertificate).version(version)
                .connectTimeout(Duration.ofSeconds(5)).build();
        anonymous = HttpClient.newBuilder().sslContext(withoutCertificate).version(version)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    String joinToken() throws Exception {
        return Files.readString(cluster.dataDir().resolve("server/token")).trim();
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return admin.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> sendAnonymous(HttpRequest.Builder request) throws Exception {
        return anonymous.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(cluster.url() + path));
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(request(path).GET());
    }

    HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    HttpClient adminClient() {
        return admin;
    }
}

package io.k4j.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The endpoints a node joins with: the CA for anyone, a serving certificate for the join token's nodes only. */
class NodeJoinTest {

    static TestCluster cluster;
    static TestHttp http;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start();
        http = new TestHttp(cluster, HttpClient.Version.HTTP_1_1);
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    @Test
    void theCaIsServedToAnyoneAndNamedByTheFullToken() throws Exception {
        byte[] ca = Files.readAllBytes(cluster.dataDir().resolve("server/tls/ca.crt"));

        HttpResponse<String> served = http.sendAnonymous(http.request("/cacerts").GET());

        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo(new String(ca, java.nio.charset.StandardCharsets.US_ASCII));
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ca));
        assertThat(Files.readString(cluster.dataDir().resolve("server/node-token")).trim())
                .isEqualTo("K10" + hash + "::server:" + http.joinToken());
    }

    @Test
    void theFullTokenAuthenticatesLikeTheSecret() throws Exception {
        String full = Files.readString(cluster.dataDir().resolve("server/node-token")).trim();

        HttpResponse<String> nodes = http.sendAnonymous(http.request("/api/v1/nodes")
                .header("Authorization", "Bearer " + full).GET());

        assertThat(nodes.statusCode()).isEqualTo(200);
    }

    @Test
    void onlyNodesGetAServingCertificate() throws Exception {
        String body = "{\"nodeName\":\"node-1\",\"dnsNames\":[\"host-1\"],\"addresses\":[\"10.0.0.5\"]}";
        HttpRequest.Builder request = http.request("/k4j/v1/kubelet-serving-certificate")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));

        HttpResponse<String> anonymous = http.sendAnonymous(request);
        HttpResponse<String> admin = http.send(request);
        HttpResponse<String> node = http.sendAnonymous(request.header("Authorization", "Bearer " + http.joinToken()));

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(admin.statusCode()).isEqualTo(403);
        assertThat(admin.body()).contains("not in group system:nodes");
        assertThat(node.statusCode()).isEqualTo(200);
        assertThat(node.body()).contains("BEGIN CERTIFICATE", "PRIVATE KEY");
    }

    @Test
    void badRequestsAreRefused() throws Exception {
        HttpResponse<String> badName = http.sendAnonymous(http.request("/k4j/v1/kubelet-serving-certificate")
                .header("Authorization", "Bearer " + http.joinToken())
                .POST(HttpRequest.BodyPublishers.ofString("{\"nodeName\":\"Bad_Name\"}")));
        HttpResponse<String> hostAsAddress = http.sendAnonymous(http.request("/k4j/v1/kubelet-serving-certificate")
                .header("Authorization", "Bearer " + http.joinToken())
                .POST(HttpRequest.BodyPublishers.ofString("{\"nodeName\":\"n\",\"addresses\":[\"example.com\"]}")));
        HttpResponse<String> postToCa = http.sendAnonymous(http.request("/cacerts")
                .POST(HttpRequest.BodyPublishers.ofString("")));

        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(badName.body()).contains("nodeName must be a DNS subdomain");
        assertThat(hostAsAddress.statusCode()).isEqualTo(400);
        assertThat(postToCa.statusCode()).isEqualTo(405);
    }
}

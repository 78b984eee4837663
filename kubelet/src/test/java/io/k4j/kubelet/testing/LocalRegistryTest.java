package io.k4j.kubelet.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRegistryTest {
    @TempDir
    Path tempDir;

    @BeforeAll
    static void tools() {
        TestImages.assumeAvailable();
        LocalRegistry.assumeAvailable();
    }

    @Test
    void pushesImagesThatShareTheBusyboxLayer() throws Exception {
        try (LocalRegistry registry = LocalRegistry.builder().workDir(tempDir).start()) {
            LocalRegistry.PushedImage plain = registry.push(TestImages.busybox(tempDir), "library/busybox:1");
            LocalRegistry.PushedImage withFile = registry.push(
                    TestImages.busybox().cmd("cat", "/etc/motd").file("/etc/motd", "hi\n").build(tempDir), "motd:1");

            assertThat(plain.reference()).isEqualTo(registry.host() + "/library/busybox:1");
            assertThat(plain.digest()).startsWith("sha256:");
            String plainInspect = Tools.run(List.of("skopeo", "inspect", "--tls-verify=false",
                    "docker://" + plain.byDigest()));
            String fileInspect = Tools.run(List.of("skopeo", "inspect", "--tls-verify=false",
                    "docker://" + withFile.reference()));
            String baseLayer = plainInspect.replaceAll("(?s).*\"Layers\": \\[\\s*\"(sha256:[0-9a-f]+)\".*", "$1");
            assertThat(fileInspect).contains(baseLayer);
            assertThat(get(registry, "/v2/", null)).isEqualTo(200);
        }
    }

    @Test
    void basicAuthRefusesAnonymousRequests() throws Exception {
        try (LocalRegistry registry = LocalRegistry.builder().basicAuth("alice", "s3cret").start()) {
            registry.push(TestImages.busybox(tempDir), "private:1");
            assertThat(get(registry, "/v2/", null)).isEqualTo(401);
            assertThat(get(registry, "/v2/", "alice:s3cret")).isEqualTo(200);
            assertThat(get(registry, "/v2/", "alice:wrong")).isEqualTo(401);
        }
    }

    @Test
    void runsInsideANetworkNamespaceOnItsOwnLoopback() {
        Tools.assumeRootWith("ip", "nsenter", "curl");
        String netns = "k4j-test-I-" + ProcessHandle.current().pid();
        Tools.run(List.of("ip", "netns", "add", netns));
        try {
            Tools.run(List.of("ip", "-n", netns, "link", "set", "lo", "up"));
            try (LocalRegistry registry = LocalRegistry.builder().workDir(tempDir).networkNamespace(netns).start()) {
                LocalRegistry.PushedImage pushed = registry.push(TestImages.busybox(tempDir), "in-netns:1");
                String catalog = Tools.run(List.of("nsenter", "--net=/run/netns/" + netns, "curl", "-sf",
                        "http://" + registry.host() + "/v2/_catalog"));
                assertThat(catalog).contains("in-netns");
                assertThat(pushed.digest()).startsWith("sha256:");
            }
        } finally {
            Tools.run(List.of("ip", "netns", "delete", netns));
        }
    }

    private static int get(LocalRegistry registry, String path, String userColonPassword) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + registry.host() + path));
        if (userColonPassword != null) {
            request.header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes()));
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}

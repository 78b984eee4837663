package io.k4j.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.auth.ServiceAccountTokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** kubectl auth can-i / whoami, create token, and logging in with a service-account token, against a real server. */
class KubectlAuthTest extends KubectlClusterTest {


    @Override
    protected String namespacePrefix() {
        return "auth";
    }

    private TestCluster.Result kubectl(String... args) throws Exception {
        return cluster.kubectl(args);
    }

    @Test
    void canIAnswersFromTheAuthorizer() throws Exception {
        assertThat(kubectl("auth", "can-i", "create", "pods").assertOk().out().trim()).isEqualTo("yes");
        assertThat(kubectl("auth", "can-i", "get", "pods", "--all-namespaces").assertOk().out().trim())
                .isEqualTo("yes");
        assertThat(kubectl("auth", "can-i", "get", "pods", "--subresource=log", "-n", "kube-system")
                .assertOk().out().trim()).isEqualTo("yes");
        assertThat(kubectl("auth", "can-i", "update", "deployments.apps/web", "--subresource=scale")
                .assertOk().out().trim()).isEqualTo("yes");
        assertThat(kubectl("auth", "can-i", "get", "/logs").assertOk().out().trim()).isEqualTo("yes");
        TestCluster.Result review = cluster.kubectlWithInput("""
                {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview",
                 "spec":{"resourceAttributes":{"verb":"delete","resource":"nodes"}}}
                """, "create", "--raw", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "-f", "-");
        assertThat(review.assertOk().out()).contains("\"allowed\":true", "\"reason\":\"k4j: every authenticated user");
    }

    @Test
    void canIListShowsEverythingForNow() throws Exception {
        String out = kubectl("auth", "can-i", "--list").assertOk().out();
        assertThat(out).containsPattern("Resources\\s+Non-Resource URLs\\s+Resource Names\\s+Verbs")
                .containsPattern("\\*\\.\\*\\s+\\[\\]\\s+\\[\\]\\s+\\[\\*\\]")
                .containsPattern("\\[\\*\\]\\s+\\[\\]\\s+\\[\\*\\]");
        assertThat(kubectl("auth", "can-i", "--list", "-n", "kube-system").assertOk().out()).contains("*.*");
    }

    @Test
    void whoamiShowsTheClientCertificateUser() throws Exception {
        assertThat(kubectl("auth", "whoami").assertOk().out())
                .containsPattern("Username\\s+admin")
                .containsPattern("Groups\\s+\\[system:masters system:authenticated\\]");
    }

    @Test
    void nonSelfReviews() throws Exception {
        String sar = cluster.kubectlWithInput("""
                {"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview",
                 "spec":{"user":"bob","groups":["devs"],"resourceAttributes":{"verb":"get","resource":"pods"}}}
                """, "create", "--raw", "/apis/authorization.k8s.io/v1/subjectaccessreviews", "-f", "-")
                .assertOk().out();
        assertThat(sar).contains("\"allowed\":true");
        String anonymous = cluster.kubectlWithInput("""
                {"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview",
                 "spec":{"user":"system:anonymous","nonResourceAttributes":{"verb":"get","path":"/api"}}}
                """, "create", "--raw", "/apis/authorization.k8s.io/v1/subjectaccessreviews", "-f", "-")
                .assertOk().out();
        assertThat(anonymous).contains("\"allowed\":false");
        String local = cluster.kubectlWithInput("""
                {"apiVersion":"authorization.k8s.io/v1","kind":"LocalSubjectAccessReview",
                 "spec":{"user":"bob","resourceAttributes":{"verb":"get","resource":"pods"}}}
                """, "create", "--raw",
                "/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews", "-f", "-")
                .assertOk().out();
        assertThat(local).contains("\"allowed\":true", "\"namespace\":\"default\"");
        TestCluster.Result get = kubectl("get", "--raw", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews");
        assertThat(get.exitCode()).isNotZero();
        assertThat(get.err()).contains("MethodNotAllowed");
        assertThat(kubectl("api-resources", "--api-group=authorization.k8s.io", "-o", "wide").assertOk().out())
                .containsPattern("selfsubjectaccessreviews\\s+authorization.k8s.io/v1\\s+false\\s+"
                        + "SelfSubjectAccessReview\\s+create");
    }

    @Test
    void serviceAccountTokensLogIn() throws Exception {
        kubectl("create", "namespace", "tok").assertOk();
        kubectl("-n", "tok", "create", "serviceaccount", "robot").assertOk();
        String token = kubectl("-n", "tok", "create", "token", "robot", "--duration=10m").assertOk().out().trim();
        ObjectNode claims = claims(token);
        assertThat(claims.path("sub").asString()).isEqualTo("system:serviceaccount:tok:robot");
        assertThat(claims.path("aud").get(0).asString()).isEqualTo(ServiceAccountTokens.DEFAULT_ISSUER);
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(600);
        assertThat(claims.path("kubernetes.io").path("serviceaccount").path("uid").asString())
                .isEqualTo(kubectl("-n", "tok", "get", "sa", "robot", "-o", "jsonpath={.metadata.uid}").assertOk().out());

        Path config = tokenlessKubeconfig();
        String whoami = withToken(config, token, "auth", "whoami").assertOk().out();
        assertThat(whoami).containsPattern("Username\\s+system:serviceaccount:tok:robot")
                .containsPattern("Groups\\s+\\[system:serviceaccounts system:serviceaccounts:tok "
                        + "system:authenticated\\]")
                .contains("authentication.kubernetes.io/credential-id");
        assertThat(withToken(config, token, "get", "sa", "-n", "tok", "-o", "name").assertOk().out())
                .contains("serviceaccount/robot");

        // Tampered: another subject with the old signature.
        String[] parts = token.split("\\.");
        ObjectNode forged = claims.deepCopy();
        forged.put("sub", "system:serviceaccount:kube-system:admin");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(forged))
                + "." + parts[2];
        assertUnauthorized(withToken(config, tampered, "auth", "whoami"));
        assertUnauthorized(withToken(config, token.substring(0, token.length() - 4) + "AAAA", "auth", "whoami"));

        // Expired, though signed with the server's own key.
        ServiceAccountTokens signer = new ServiceAccountTokens(
                ServiceAccountTokens.loadOrCreateKeys(cluster.dataDir().resolve("server/tls")),
                ServiceAccountTokens.DEFAULT_ISSUER, List.of(ServiceAccountTokens.DEFAULT_ISSUER),
                InstantSource.fixed(Instant.now().minusSeconds(7200)), (kind, namespace, name) -> Optional.empty());
        String uid = claims.path("kubernetes.io").path("serviceaccount").path("uid").asString();
        String expired = signer.issue("tok", "robot", uid, List.of(), 600, null).token();
        assertUnauthorized(withToken(config, expired, "auth", "whoami"));
        // The same, fresh, is fine: the key is the server's.
        ServiceAccountTokens fresh = new ServiceAccountTokens(
                ServiceAccountTokens.loadOrCreateKeys(cluster.dataDir().resolve("server/tls")),
                ServiceAccountTokens.DEFAULT_ISSUER, List.of(ServiceAccountTokens.DEFAULT_ISSUER),
                InstantSource.system(), (kind, namespace, name) -> Optional.empty());
        withToken(config, fresh.issue("tok", "robot", uid, List.of(), 600, null).token(), "auth", "whoami")
                .assertOk();

        // Another audience is not for the API server.
        String other = kubectl("-n", "tok", "create", "token", "robot", "--audience=vault").assertOk().out().trim();
        assertUnauthorized(withToken(config, other, "auth", "whoami"));
        // TokenReview says who a token is for its audience.
        String review = cluster.kubectlWithInput("""
                {"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview",
                 "spec":{"token":"%s","audiences":["vault"]}}
                """.formatted(other), "create", "--raw", "/apis/authentication.k8s.io/v1/tokenreviews", "-f", "-")
                .assertOk().out();
        assertThat(review).contains("\"authenticated\":true", "\"username\":\"system:serviceaccount:tok:robot\"",
                "\"audiences\":[\"vault\"]");

        // A deleted (or re-created) service account's tokens stop working.
        kubectl("-n", "tok", "delete", "sa", "robot").assertOk();
        assertUnauthorized(withToken(config, token, "auth", "whoami"));
        kubectl("-n", "tok", "create", "serviceaccount", "robot").assertOk();
        assertUnauthorized(withToken(config, token, "auth", "whoami"));
    }

    @Test
    void tokenRequestValidation() throws Exception {
        kubectl("create", "namespace", "tokv").assertOk();
        kubectl("-n", "tokv", "create", "serviceaccount", "robot").assertOk();
        TestCluster.Result tooShort = kubectl("-n", "tokv", "create", "token", "robot", "--duration=5m");
        assertThat(tooShort.exitCode()).isNotZero();
        assertThat(tooShort.err()).contains("may not specify a duration less than 10 minutes");
        String response = cluster.kubectlWithInput("""
                {"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{}}
                """, "create", "--raw", "/api/v1/namespaces/tokv/serviceaccounts/robot/token", "-f", "-")
                .assertOk().out();
        ObjectNode request = Json.parseObject(response.getBytes(StandardCharsets.UTF_8));
        assertThat(request.path("spec").path("expirationSeconds").asLong()).isEqualTo(3600);
        assertThat(request.path("status").path("expirationTimestamp").asString()).endsWith("Z");
        assertThat(request.path("metadata").path("name").asString()).isEqualTo("robot");
        TestCluster.Result noPod = kubectl("-n", "tokv", "create", "token", "robot", "--bound-object-kind=Pod",
                "--bound-object-name=nope");
        assertThat(noPod.exitCode()).isNotZero();
        assertThat(noPod.err()).contains("pods \"nope\" not found");
        cluster.kubectlWithInput("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"tokv"},
                 "spec":{"containers":[{"name":"c","image":"busybox"}]}}
                """, "create", "-f", "-").assertOk();
        String bound = kubectl("-n", "tokv", "create", "token", "robot", "--bound-object-kind=Pod",
                "--bound-object-name=web").assertOk().out().trim();
        assertThat(claims(bound).path("kubernetes.io").path("pod").path("name").asString()).isEqualTo("web");
        Path config = tokenlessKubeconfig();
        assertThat(withToken(config, bound, "auth", "whoami").assertOk().out())
                .contains("authentication.kubernetes.io/pod-name", "[web]");
        kubectl("-n", "tokv", "delete", "pod", "web", "--grace-period=0", "--force").assertOk();
        assertUnauthorized(withToken(config, bound, "auth", "whoami"));
    }

    private static ObjectNode claims(String token) {
        return Json.parseObject(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    /** The cluster's kubeconfig without the client certificate: server and CA only. */
    private Path tokenlessKubeconfig() throws Exception {
        StringBuilder kept = new StringBuilder();
        for (String line : cluster.kubeconfigText().split("\n")) {
            if (!line.contains("client-certificate-data") && !line.contains("client-key-data")) {
                kept.append(line).append('\n');
            }
        }
        String text = kept.toString().replace("  user:\n", "  user: {}\n");
        Path file = cluster.dataDir().resolve("token-kubeconfig.yaml");
        Files.writeString(file, text);
        return file;
    }

    private TestCluster.Result withToken(Path config, String token, String... args) throws Exception {
        String[] all = new String[args.length + 2];
        all[0] = "--kubeconfig=" + config;
        all[1] = "--token=" + token;
        System.arraycopy(args, 0, all, 2, args.length);
        return cluster.kubectl(all);
    }

    private static void assertUnauthorized(TestCluster.Result result) {
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).containsIgnoringCase("Unauthorized");
    }
}

package io.k4j.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.apiserver.api.Json;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** OpenAPI v3, kubectl explain and fieldValidation, through the real kubectl and plain HTTPS. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiKubectlTest {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private TestCluster cluster;
    private TestHttp http;
    private String ns;

    @BeforeAll
    void start() throws Exception {
        cluster = TestCluster.start();
        http = new TestHttp(cluster, HttpClient.Version.HTTP_1_1);
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void namespace() throws Exception {
        if (TestCluster.kubectlBinary().isPresent()) {
            ns = "oa" + NAMESPACES.incrementAndGet();
            cluster.kubectl("create", "namespace", ns).assertOk();
        }
    }

    private static void needKubectl() {
        Assumptions.assumeTrue(TestCluster.kubectlBinary().isPresent(), "skipped: no kubectl on PATH");
    }

    private static final String MANIFESTS = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
            data:
              mode: fast
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 2
              selector:
                matchLabels: {app: web}
              strategy:
                rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: nginx
                    image: nginx:1.27
                    ports:
                    - containerPort: 80
                    resources:
                      limits: {cpu: 500m, memory: 128Mi}
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              selector: {app: web}
              ports:
              - port: 80
                targetPort: 80
            """;

    private static final String MISSPELLED = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: typo
              lables: {a: b}
            data:
              k: v
            """;

    @Test
    void applyWithDefaultValidationSucceeds() throws Exception {
        needKubectl();
        TestCluster.Result result = cluster.kubectlWithInput(MANIFESTS, "apply", "-n", ns, "-f", "-").assertOk();
        assertThat(result.out()).contains("configmap/settings created", "deployment.apps/web created",
                "service/web created");
        assertThat(result.err()).doesNotContain("Warning");
        assertThat(cluster.kubectl("get", "deploy", "web", "-n", ns, "-o",
                "jsonpath={.spec.strategy.rollingUpdate.maxSurge}").assertOk().out()).isEqualTo("25%");
    }

    @Test
    void applyADirectoryAndAKustomizationThenAgainUnchanged(@TempDir Path dir) throws Exception {
        needKubectl();
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        String[] documents = MANIFESTS.split("(?m)^---\\s*$");
        for (int i = 0; i < documents.length; i++) {
            Files.writeString(manifests.resolve(i + ".yaml"), documents[i]);
        }
        String created = cluster.kubectl("apply", "-n", ns, "-f", manifests.toString()).assertOk().out();
        assertThat(created).contains("configmap/settings created", "deployment.apps/web created", "service/web created");
        assertThat(cluster.kubectl("apply", "-n", ns, "-f", manifests.toString()).assertOk().out())
                .contains("configmap/settings unchanged", "deployment.apps/web unchanged", "service/web unchanged");

        Path kustomization = Files.createDirectories(dir.resolve("kustomize"));
        Files.writeString(kustomization.resolve("app.yaml"), MANIFESTS);
        Files.writeString(kustomization.resolve("kustomization.yaml"), """
                namespace: %s
                namePrefix: k-
                commonLabels:
                  managed-by: kustomize
                resources:
                - app.yaml
                """.formatted(ns));
        assertThat(cluster.kubectl("apply", "-k", kustomization.toString()).assertOk().out())
                .contains("configmap/k-settings created", "deployment.apps/k-web created", "service/k-web created");
        assertThat(cluster.kubectl("get", "deploy", "k-web", "-n", ns, "-o", "jsonpath={.metadata.labels.managed-by}")
                .assertOk().out()).isEqualTo("kustomize");
        assertThat(cluster.kubectl("apply", "-k", kustomization.toString()).assertOk().out())
                .contains("deployment.apps/k-web unchanged");
    }

    @Test
    void aMisspelledFieldFailsUnderDefaultValidation() throws Exception {
        needKubectl();
        TestCluster.Result result = cluster.kubectlWithInput(MISSPELLED, "apply", "-n", ns, "-f", "-");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("strict decoding error", "unknown field \"metadata.lables\"");
        assertThat(cluster.kubectl("get", "cm", "typo", "-n", ns).exitCode()).isNotZero();
    }

    @Test
    void validateWarnSucceedsAndPrintsTheWarning() throws Exception {
        needKubectl();
        TestCluster.Result result = cluster.kubectlWithInput(MISSPELLED, "apply", "--validate=warn", "-n", ns,
                "-f", "-").assertOk();
        assertThat(result.err()).contains("Warning: unknown field \"metadata.lables\"");
        // dropped from the object (the last-applied annotation keeps what the user sent, as upstream)
        assertThat(cluster.kubectl("get", "cm", "typo", "-n", ns, "-o", "jsonpath={.metadata.lables}").assertOk()
                .out()).isEmpty();
    }

    @Test
    void validateFalseDropsTheField() throws Exception {
        needKubectl();
        TestCluster.Result result = cluster.kubectlWithInput(MISSPELLED, "create", "--validate=false", "-n", ns,
                "-f", "-").assertOk();
        assertThat(result.err()).doesNotContain("Warning");
        assertThat(cluster.kubectl("get", "cm", "typo", "-n", ns, "-o", "json").assertOk().out())
                .doesNotContain("lables").contains("\"k\": \"v\"");
    }

    @Test
    void explainServedKindsAndNestedFields() throws Exception {
        needKubectl();
        assertThat(cluster.kubectl("explain", "pods").assertOk().out())
                .contains("KIND:", "Pod", "VERSION:", "v1", "DESCRIPTION:", "FIELDS:", "spec", "metadata");
        assertThat(cluster.kubectl("explain", "deployment.spec.template.spec.containers.ports").assertOk().out())
                .contains("ContainerPort", "containerPort", "protocol");
        assertThat(cluster.kubectl("explain", "cronjob.spec.jobTemplate").assertOk().out())
                .contains("batch", "CronJob", "spec");
        assertThat(cluster.kubectl("explain", "deploy.spec.strategy.rollingUpdate.maxSurge").assertOk().out())
                .contains("maxSurge");
        assertThat(cluster.kubectl("explain", "configmap", "--recursive").assertOk().out())
                .contains("data", "metadata", "creationTimestamp");
        assertThat(cluster.kubectl("explain", "hpa", "--api-version=autoscaling/v2").assertOk().out())
                .contains("HorizontalPodAutoscaler");
        // every served resource: NAME [SHORTNAMES] APIVERSION NAMESPACED KIND
        String resources = cluster.kubectl("api-resources", "--no-headers").assertOk().out();
        for (String line : resources.split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 4) {
                String kind = columns[columns.length - 1];
                assertThat(cluster.kubectl("explain", columns[0], "--api-version=" + columns[columns.length - 3])
                        .assertOk().out()).as(line).contains("KIND:", kind, "FIELDS:");
            }
        }
    }

    @Test
    void restEndpoints() throws Exception {
        HttpResponse<String> index = http.get("/openapi/v3");
        assertThat(index.statusCode()).isEqualTo(200);
        JsonNode paths = Json.parse(index.body().getBytes()).path("paths");
        String url = paths.path("apis/apps/v1").path("serverRelativeURL").asString();
        assertThat(url).startsWith("/openapi/v3/apis/apps/v1?hash=");
        assertThat(paths.has("api/v1")).isTrue();

        HttpResponse<String> apps = http.get(url);
        assertThat(apps.statusCode()).isEqualTo(200);
        assertThat(apps.headers().firstValue("ETag")).hasValue("\"" + url.substring(url.indexOf("hash=") + 5) + "\"");
        assertThat(apps.headers().firstValue("Cache-Control")).hasValue("public, immutable");
        JsonNode doc = Json.parse(apps.body().getBytes());
        assertThat(doc.path("openapi").asString()).startsWith("3.0");
        assertThat(doc.path("components").path("schemas").has("io.k8s.api.apps.v1.Deployment")).isTrue();

        HttpResponse<String> stale = http.get("/openapi/v3/apis/apps/v1?hash=0000");
        assertThat(stale.statusCode()).isEqualTo(301);
        assertThat(stale.headers().firstValue("Location")).hasValue(url);

        HttpResponse<String> v2 = http.get("/openapi/v2");
        assertThat(v2.statusCode()).isEqualTo(404);
        assertThat(v2.body()).contains("\"kind\":\"Status\"", "NotFound");
        assertThat(http.get("/openapi/v3/apis/nope/v1").statusCode()).isEqualTo(404);
    }

    @Test
    void restFieldValidation() throws Exception {
        String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"dup\",\"name\":\"dup\"},"
                + "\"data\":{\"a\":\"b\"},\"extra\":1}";
        HttpResponse<String> strict = http.post("/api/v1/namespaces/default/configmaps?fieldValidation=Strict",
                "application/json", body);
        assertThat(strict.statusCode()).isEqualTo(400);
        assertThat(strict.body()).contains("BadRequest", "strict decoding error",
                "duplicate field \\\"metadata.name\\\"", "unknown field \\\"extra\\\"");
        HttpResponse<String> warn = http.post("/api/v1/namespaces/default/configmaps?fieldValidation=Warn",
                "application/json", body);
        assertThat(warn.statusCode()).isEqualTo(201);
        assertThat(warn.headers().allValues("Warning").toString()).contains("duplicate field \\\"metadata.name\\\"",
                "unknown field \\\"extra\\\"");
        assertThat(warn.body()).doesNotContain("extra");
    }
}

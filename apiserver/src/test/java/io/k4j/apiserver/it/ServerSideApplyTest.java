package io.k4j.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.apiserver.api.Json;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Server-side apply with the real kubectl (and fabric8): ownership, conflicts, forced takeover, pruning, diff. */
class ServerSideApplyTest extends KubectlClusterTest {

    @Override
    protected String namespacePrefix() {
        return "ssa";
    }

    private static String deployment(int replicas, String extraLabel) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  labels:
                    app: web
                %s
                spec:
                  replicas: %d
                  selector:
                    matchLabels:
                      app: web
                  template:
                    metadata:
                      labels:
                        app: web
                    spec:
                      containers:
                      - name: app
                        image: nginx:1.27
                """.formatted(extraLabel == null ? "" : "    " + extraLabel, replicas);
    }

    private Path file(String name, String content) throws Exception {
        Path path = cluster.dataDir().resolve(ns + "-" + name);
        Files.writeString(path, content, StandardCharsets.UTF_8);
        return path;
    }

    private TestCluster.Result kubectl(String... args) throws Exception {
        return cluster.kubectl(args);
    }

    private JsonNode getJson(String... target) throws Exception {
        String[] args = new String[target.length + 6];
        args[0] = "get";
        System.arraycopy(target, 0, args, 1, target.length);
        args[target.length + 1] = "-n";
        args[target.length + 2] = ns;
        args[target.length + 3] = "-o";
        args[target.length + 4] = "json";
        args[target.length + 5] = "--show-managed-fields";
        String out = kubectl(args).assertOk().out();
        return Json.parse(out.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode entry(JsonNode object, String manager) {
        for (JsonNode entry : object.path("metadata").path("managedFields")) {
            if (entry.path("manager").asString("").equals(manager)) {
                return entry;
            }
        }
        return null;
    }

    @Test
    void applyCreatesConflictsForcesAndPrunes() throws Exception {
        Path v1 = file("v1.yaml", deployment(1, "tier: front"));
        TestCluster.Result created = kubectl("apply", "--server-side", "-n", ns, "-f",
                v1.toString()).assertOk();
        assertThat(created.out()).contains("deployment.apps/web serverside-applied");

        JsonNode live = getJson("deployment", "web");
        JsonNode mine = entry(live, "kubectl");
        assertThat(mine).isNotNull();
        assertThat(mine.path("operation").asString()).isEqualTo("Apply");
        assertThat(mine.path("apiVersion").asString()).isEqualTo("apps/v1");
        assertThat(mine.path("fieldsType").asString()).isEqualTo("FieldsV1");
        assertThat(Json.text(mine.path("fieldsV1").path("f:metadata")))
                .isEqualTo("{\"f:labels\":{\"f:app\":{},\"f:tier\":{}}}");
        assertThat(mine.path("fieldsV1").path("f:spec").has("f:replicas")).isTrue();

        String shown = kubectl("get", "deployment", "web", "-n", ns, "-o", "yaml", "--show-managed-fields")
                .assertOk().out();
        assertThat(shown).contains("managedFields:", "manager: kubectl", "operation: Apply", "f:replicas: {}");
        assertThat(kubectl("get", "deployment", "web", "-n", ns, "-o", "yaml").assertOk().out())
                .doesNotContain("managedFields");

        // another manager changing replicas conflicts, naming the owner and the field
        Path other = file("other.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: 3
                """);
        TestCluster.Result conflict = kubectl("apply", "--server-side", "--field-manager=other",
                "-n", ns, "-f", other.toString());
        assertThat(conflict.exitCode()).isNotZero();
        assertThat(conflict.err()).contains("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas");

        // forcing takes the field over
        kubectl("apply", "--server-side", "--field-manager=other", "--force-conflicts",
                "-n", ns, "-f", other.toString()).assertOk();
        live = getJson("deployment", "web");
        assertThat(live.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(entry(live, "other").path("fieldsV1").toString()).contains("f:replicas");
        assertThat(entry(live, "kubectl").path("fieldsV1").path("f:spec").has("f:replicas")).isFalse();

        // the first manager drops a label from its file: the label goes; replicas (now other's) stays
        Path v2 = file("v2.yaml", deployment(3, null));
        kubectl("apply", "--server-side", "-n", ns, "-f", v2.toString()).assertOk();
        live = getJson("deployment", "web");
        assertThat(live.path("metadata").path("labels").has("tier")).isFalse();
        assertThat(live.path("metadata").path("labels").path("app").asString()).isEqualTo("web");
        assertThat(live.path("spec").path("replicas").asInt()).isEqualTo(3);
    }

    @Test
    void clientSideWritesAreRecordedAsUpdates() throws Exception {
        Path v1 = file("cm.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                data:
                  a: "1"
                """);
        kubectl("create", "-n", ns, "-f", v1.toString()).assertOk();
        kubectl("label", "-n", ns, "configmap", "settings", "team=blue").assertOk();
        JsonNode live = getJson("configmap", "settings");
        JsonNode create = entry(live, "kubectl-create");
        assertThat(create.path("operation").asString()).isEqualTo("Update");
        // (kubectl prints maps with sorted keys, so "." comes first here)
        assertThat(Json.text(create.path("fieldsV1"))).isEqualTo("{\"f:data\":{\".\":{},\"f:a\":{}}}");
        JsonNode label = entry(live, "kubectl-label");
        assertThat(Json.text(label.path("fieldsV1"))).isEqualTo("{\"f:metadata\":{\"f:labels\":{\".\":{},"
                + "\"f:team\":{}}}}");

        // an apply changing data.a conflicts with the Update manager, named with its version
        Path applied = file("cm2.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                data:
                  a: "2"
                """);
        TestCluster.Result conflict = kubectl("apply", "--server-side", "-n", ns, "-f",
                applied.toString());
        assertThat(conflict.exitCode()).isNotZero();
        assertThat(conflict.err()).contains("conflict with \"kubectl-create\" using v1: .data.a");
    }

    @Test
    void diffServerSideIsADryRun() throws Exception {
        Path v1 = file("v1.yaml", deployment(1, null));
        kubectl("apply", "--server-side", "-n", ns, "-f", v1.toString()).assertOk();
        String before = getJson("deployment", "web").path("metadata").path("resourceVersion").asString();
        Path v2 = file("v2.yaml", deployment(4, null));
        TestCluster.Result diff = kubectl("diff", "--server-side", "-n", ns, "-f",
                v2.toString());
        assertThat(diff.exitCode()).as(diff.err()).isEqualTo(1);
        assertThat(diff.out()).contains("-  replicas: 1", "+  replicas: 4");
        JsonNode after = getJson("deployment", "web");
        assertThat(after.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(after.path("metadata").path("resourceVersion").asString()).isEqualTo(before);
        // a missing object diffs as created, and stays missing
        Path cm = file("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fresh\ndata:\n  k: v\n");
        TestCluster.Result created = kubectl("diff", "--server-side", "-n", ns, "-f",
                cm.toString());
        assertThat(created.exitCode()).as(created.err()).isEqualTo(1);
        assertThat(created.out()).contains("+  k: v");
        assertThat(kubectl("get", "configmap", "fresh", "-n", ns).exitCode()).isNotZero();
    }

    @Test
    void applyOnStatusAndMissingFieldManager() throws Exception {
        Path v1 = file("v1.yaml", deployment(1, null));
        kubectl("apply", "--server-side", "-n", ns, "-f", v1.toString()).assertOk();
        Path status = file("status.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                status:
                  observedGeneration: 1
                  replicas: 1
                """);
        kubectl("apply", "--server-side", "--subresource=status", "--field-manager=ctrl", "-n",
                ns, "-f", status.toString()).assertOk();
        JsonNode live = getJson("deployment", "web");
        assertThat(live.path("status").path("replicas").asInt()).isEqualTo(1);
        JsonNode ctrl = entry(live, "ctrl");
        assertThat(ctrl.path("subresource").asString()).isEqualTo("status");
        assertThat(Json.text(ctrl.path("fieldsV1"))).isEqualTo("{\"f:status\":{\"f:observedGeneration\":{},"
                + "\"f:replicas\":{}}}");

        // apply through the scale subresource owns the workload's spec.replicas, marked with subresource scale
        TestHttp http = new TestHttp(cluster, HttpClient.Version.HTTP_1_1);
        String scalePath = "/apis/apps/v1/namespaces/" + ns + "/deployments/web/scale?fieldManager=hpa";
        String scale = "apiVersion: autoscaling/v1\nkind: Scale\nmetadata:\n  name: web\nspec:\n  replicas: 5\n";
        HttpResponse<String> conflict = http.send(http.request(scalePath)
                .header("Content-Type", "application/apply-patch+yaml")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(scale)));
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(conflict.body()).contains("conflict with \\\"kubectl\\\": .spec.replicas");
        HttpResponse<String> forced = http.send(http.request(scalePath + "&force=true")
                .header("Content-Type", "application/apply-patch+yaml")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(scale)));
        assertThat(forced.statusCode()).as(forced.body()).isEqualTo(200);
        assertThat(forced.body()).contains("\"kind\":\"Scale\"", "\"replicas\":5");
        live = getJson("deployment", "web");
        assertThat(live.path("spec").path("replicas").asInt()).isEqualTo(5);
        JsonNode hpa = entry(live, "hpa");
        assertThat(hpa.path("subresource").asString()).isEqualTo("scale");
        assertThat(Json.text(hpa.path("fieldsV1"))).isEqualTo("{\"f:spec\":{\"f:replicas\":{}}}");

        String raw = kubectl("get", "--raw", "/apis/apps/v1/namespaces/" + ns + "/deployments/web").assertOk().out();
        assertThat(raw).contains("\"managedFields\"");
    }

    @Test
    void fabric8ServerSideApply() throws Exception {
        Config config = Config.fromKubeconfig(cluster.kubeconfigText());
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns + "-f8").endMetadata()
                    .build()).serverSideApply();
            ConfigMap first = new ConfigMapBuilder().withNewMetadata().withName("cm").withNamespace(ns)
                    .endMetadata().addToData("a", "1").addToData("b", "2").build();
            ConfigMap created = client.resource(first).fieldManager("x").serverSideApply();
            assertThat(created.getData()).containsEntry("a", "1").containsEntry("b", "2");
            assertThat(created.getMetadata().getManagedFields()).anySatisfy(entry -> {
                assertThat(entry.getManager()).isEqualTo("x");
                assertThat(entry.getOperation()).isEqualTo("Apply");
            });
            ConfigMap theirs = new ConfigMapBuilder().withNewMetadata().withName("cm").withNamespace(ns)
                    .endMetadata().addToData("a", "9").build();
            try {
                client.resource(theirs).fieldManager("y").serverSideApply();
                throw new AssertionError("expected a conflict");
            } catch (KubernetesClientException e) {
                assertThat(e.getCode()).isEqualTo(409);
                assertThat(e.getStatus().getDetails().getCauses().get(0).getField()).isEqualTo(".data.a");
            }
            ConfigMap forced = client.resource(theirs).fieldManager("y").forceConflicts().serverSideApply();
            assertThat(forced.getData()).containsEntry("a", "9").containsEntry("b", "2");
            ConfigMap onlyA = new ConfigMapBuilder().withNewMetadata().withName("cm").withNamespace(ns)
                    .endMetadata().addToData("a", "9").build();
            ConfigMap pruned = client.resource(onlyA).fieldManager("x").serverSideApply();
            assertThat(pruned.getData()).containsOnlyKeys("a");
        }
    }

    private HttpResponse<String> applyRaw(TestHttp http, String query, String body) throws Exception {
        return http.send(http.request("/api/v1/namespaces/" + ns + "/configmaps/raw" + query)
                .header("Content-Type", "application/apply-patch+yaml")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    @Test
    void rawApplyRequests() throws Exception {
        TestHttp http = new TestHttp(cluster, HttpClient.Version.HTTP_1_1);
        String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: raw\ndata:\n  k: v\n";
        HttpResponse<String> missing = applyRaw(http, "", yaml);
        assertThat(missing.statusCode()).isEqualTo(422);
        assertThat(missing.body()).contains("PatchOptions.meta.k8s.io \\\"\\\" is invalid: fieldManager: Required value: "
                + "is required for apply patch");
        HttpResponse<String> created = applyRaw(http, "?fieldManager=yaml-tool", yaml);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains("\"manager\":\"yaml-tool\"", "\"operation\":\"Apply\"",
                "\"fieldsV1\":{\"f:data\":{\"f:k\":{}}}");
        HttpResponse<String> again = applyRaw(http, "?fieldManager=yaml-tool", yaml);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(Json.parse(again.body().getBytes(StandardCharsets.UTF_8)).path("metadata").path("resourceVersion"))
                .isEqualTo(Json.parse(created.body().getBytes(StandardCharsets.UTF_8)).path("metadata")
                        .path("resourceVersion"));
        // a write without fieldManager is recorded under the User-Agent's product name
        HttpResponse<String> put = http.send(http.request("/api/v1/namespaces/" + ns + "/configmaps/raw")
                .header("Content-Type", "application/merge-patch+json").header("User-Agent", "my-tool/1.0 (linux)")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"data\":{\"k\":\"w\"}}")));
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.body()).contains("\"manager\":\"my-tool\",\"operation\":\"Update\"");
        assertThat(put.body()).doesNotContain("yaml-tool");
    }

    @Test
    void clientSideApplyThenServerSideApply() throws Exception {
        Path v1 = file("v1.yaml", deployment(1, null));
        kubectl("apply", "-n", ns, "-f", v1.toString()).assertOk();
        JsonNode live = getJson("deployment", "web");
        assertThat(entry(live, "kubectl-client-side-apply").path("operation").asString()).isEqualTo("Update");
        Path v2 = file("v2.yaml", deployment(2, null));
        TestCluster.Result conflict = kubectl("apply", "--server-side", "-n", ns, "-f",
                v2.toString());
        assertThat(conflict.exitCode()).isNotZero();
        // containers are keyed by name, so the fields the server defaulted inside them are nobody's conflict
        assertThat(conflict.err()).contains("Apply failed with 1 conflict", "with \"kubectl-client-side-apply\" "
                + "using apps/v1", ".spec.replicas").doesNotContain("containers");
        kubectl("apply", "--server-side", "--force-conflicts", "-n", ns, "-f", v2.toString())
                .assertOk();
        live = getJson("deployment", "web");
        assertThat(live.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(entry(live, "kubectl").path("operation").asString()).isEqualTo("Apply");
    }
}

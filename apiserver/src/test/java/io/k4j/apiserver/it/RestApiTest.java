package io.k4j.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k4j.apiserver.api.Json;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** The REST API directly: authentication, bad input, HTTP versions, watches, lists, allocations. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestApiTest {

    private TestCluster cluster;
    private TestHttp http;

    @BeforeAll
    void start() throws Exception {
        cluster = TestCluster.start();
        http = new TestHttp(cluster, HttpClient.Version.HTTP_2);
    }

    @AfterAll
    void stop() throws Exception {
        cluster.close();
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.parse(response.body().getBytes());
    }

    private static String configMap(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"a\":\"b\"}}";
    }

    @Test
    void anonymousRequestsReachOnlyVersionAndHealth() throws Exception {
        for (String open : List.of("/version", "/version/", "/healthz", "/livez", "/readyz")) {
            assertThat(http.sendAnonymous(http.request(open).GET()).statusCode()).as(open).isEqualTo(200);
        }
        HttpResponse<String> refused = http.sendAnonymous(http.request("/api/v1/namespaces").GET());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(json(refused).path("kind").asString()).isEqualTo("Status");
        assertThat(json(refused).path("reason").asString()).isEqualTo("Unauthorized");
        HttpResponse<String> write = http.sendAnonymous(http.request("/api/v1/namespaces/default/configmaps")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(configMap("x"))));
        assertThat(write.statusCode()).isEqualTo(401);
    }

    @Test
    void bearerTokensAuthenticateAndWrongOnesAreRefused() throws Exception {
        HttpResponse<String> withToken = http.sendAnonymous(http.request("/api/v1/namespaces")
                .header("Authorization", "Bearer " + http.joinToken()).GET());
        assertThat(withToken.statusCode()).isEqualTo(200);
        HttpResponse<String> wrong = http.sendAnonymous(http.request("/api/v1/namespaces")
                .header("authorization", "Bearer not-the-token").GET());
        assertThat(wrong.statusCode()).isEqualTo(401);
    }

    @Test
    void http2AndHttp11BothWork() throws Exception {
        HttpResponse<String> h2 = http.get("/api/v1/namespaces/default");
        assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(h2.statusCode()).isEqualTo(200);
        TestHttp http11 = new TestHttp(cluster, HttpClient.Version.HTTP_1_1);
        HttpResponse<String> h1 = http11.get("/api/v1/namespaces/default");
        assertThat(h1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(json(h1).path("metadata").path("name").asString()).isEqualTo("default");
    }

    @Test
    void badBodiesGetTheRightStatusAndStoreNothing() throws Exception {
        http.post("/api/v1/namespaces", "application/json", "{\"metadata\":{\"name\":\"bodies\"}}");
        String path = "/api/v1/namespaces/bodies/configmaps";
        HttpResponse<String> tooLarge = http.post(path, "application/json",
                configMap("big").replace("\"b\"", "\"" + "x".repeat(3 * 1024 * 1024) + "\""));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(json(tooLarge).path("reason").asString()).isEqualTo("RequestEntityTooLarge");

        HttpResponse<String> wrongType = http.post(path, "text/plain", configMap("plain"));
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(json(wrongType).path("reason").asString()).isEqualTo("UnsupportedMediaType");

        HttpResponse<String> malformed = http.post(path, "application/json", "{\"metadata\": {");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed).path("reason").asString()).isEqualTo("BadRequest");

        HttpResponse<String> wrongKind = http.post(path, "application/json", configMap("k").replace("ConfigMap", "Secret"));
        assertThat(wrongKind.statusCode()).isEqualTo(400);

        HttpResponse<String> yaml = http.post(path, "application/yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\n");
        assertThat(yaml.statusCode()).isEqualTo(201);

        HttpResponse<String> list = http.get(path);
        assertThat(json(list).path("items")).extracting(item -> item.path("metadata").path("name").asString())
                .containsExactly("from-yaml");
        assertThat(http.get("/api/v1/nonsense").statusCode()).isEqualTo(404);
        assertThat(http.get("/apis/nope.example.com/v1/things").statusCode()).isEqualTo(404);
    }

    @Test
    void dryRunNeverPersists() throws Exception {
        HttpResponse<String> created = http.post("/api/v1/namespaces/default/configmaps?dryRun=All", "application/json",
                configMap("dry"));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created).path("metadata").path("uid").asString()).isNotEmpty();
        assertThat(http.get("/api/v1/namespaces/default/configmaps/dry").statusCode()).isEqualTo(404);
    }

    @Test
    void generateNameAndGenerationAndStatusSubresource() throws Exception {
        String deployment = """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"generateName":"web-"},
                 "spec":{"replicas":1,"selector":{"matchLabels":{"app":"w"}},
                  "template":{"metadata":{"labels":{"app":"w"}},"spec":{"containers":[{"name":"n","image":"nginx"}]}}},
                 "status":{"replicas":99}}
                """;
        HttpResponse<String> created = http.post("/apis/apps/v1/namespaces/default/deployments", "application/json",
                deployment);
        assertThat(created.statusCode()).isEqualTo(201);
        String name = json(created).path("metadata").path("name").asString();
        assertThat(name).matches("web-[a-z0-9]{5}");
        assertThat(json(created).path("metadata").path("generation").asInt()).isEqualTo(1);
        String base = "/apis/apps/v1/namespaces/default/deployments/" + name;
        HttpResponse<String> status = http.send(http.request(base + "/status")
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"status\":{\"replicas\":1},\"spec\":{\"replicas\":7}}")));
        assertThat(status.statusCode()).isEqualTo(200);
        JsonNode afterStatus = json(http.get(base));
        assertThat(afterStatus.path("status").path("replicas").asInt()).isEqualTo(1);
        assertThat(afterStatus.path("spec").path("replicas").asInt()).as("status writes leave spec alone").isEqualTo(1);
        assertThat(afterStatus.path("metadata").path("generation").asInt()).isEqualTo(1);
        http.send(http.request(base).header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"spec\":{\"replicas\":2},\"status\":{\"replicas\":5}}")));
        JsonNode afterSpec = json(http.get(base));
        assertThat(afterSpec.path("metadata").path("generation").asInt()).isEqualTo(2);
        assertThat(afterSpec.path("status").path("replicas").asInt()).as("spec writes leave status alone").isEqualTo(1);
        JsonNode scale = json(http.get(base + "/scale"));
        assertThat(scale.path("kind").asString()).isEqualTo("Scale");
        assertThat(scale.path("status").path("selector").asString()).isEqualTo("app=w");
    }

    @Test
    void aResourceVersionInsideAPatchIsAPrecondition() throws Exception {
        JsonNode created = json(http.post("/api/v1/namespaces/default/configmaps", "application/json", configMap("rv")));
        String rv = created.path("metadata").path("resourceVersion").asString();
        http.send(http.request("/api/v1/namespaces/default/configmaps/rv").header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"data\":{\"a\":\"c\"}}")));
        HttpResponse<String> stale = http.send(http.request("/api/v1/namespaces/default/configmaps/rv")
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"metadata\":{\"resourceVersion\":\"" + rv
                        + "\"},\"data\":{\"a\":\"d\"}}")));
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(json(stale).path("reason").asString()).isEqualTo("Conflict");
        assertThat(json(http.get("/api/v1/namespaces/default/configmaps/rv")).path("data").path("a").asString())
                .isEqualTo("c");
        HttpResponse<String> smp = http.send(http.request("/api/v1/namespaces/default/configmaps/rv")
                .header("Content-Type", "application/strategic-merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"metadata\":{\"resourceVersion\":\"" + rv
                        + "\"},\"data\":{\"a\":\"d\"}}")));
        assertThat(smp.statusCode()).as("kubectl diff's strategic patch carries the precondition too").isEqualTo(409);
    }

    @Test
    void concurrentPatchesWithoutAResourceVersionAllLand() throws Exception {
        http.post("/api/v1/namespaces/default/configmaps", "application/json", configMap("racy"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<HttpResponse<String>>> patches = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            String body = "{\"metadata\":{\"annotations\":{\"a" + i + "\":\"x\"}}}";
            patches.add(pool.submit(() -> http.send(http.request("/api/v1/namespaces/default/configmaps/racy")
                    .header("Content-Type", "application/merge-patch+json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(body)))));
        }
        for (Future<HttpResponse<String>> patch : patches) {
            assertThat(patch.get().statusCode()).as("a patch without a resourceVersion retries, as upstream")
                    .isEqualTo(200);
        }
        pool.shutdown();
        assertThat(json(http.get("/api/v1/namespaces/default/configmaps/racy")).path("metadata").path("annotations")
                .size()).isEqualTo(32);
    }

    @Test
    void finalizersHoldDeletionUntilRemoved() throws Exception {
        http.post("/api/v1/namespaces/default/configmaps", "application/json",
                configMap("held").replace("\"name\":\"held\"", "\"name\":\"held\",\"finalizers\":[\"example.com/hold\"]"));
        HttpResponse<String> deleted = http.send(http.request("/api/v1/namespaces/default/configmaps/held").DELETE());
        assertThat(deleted.statusCode()).isEqualTo(200);
        JsonNode marked = json(http.get("/api/v1/namespaces/default/configmaps/held"));
        assertThat(marked.path("metadata").path("deletionTimestamp").asString()).isNotEmpty();
        http.send(http.request("/api/v1/namespaces/default/configmaps/held").header("Content-Type", "application/json-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]")));
        assertThat(http.get("/api/v1/namespaces/default/configmaps/held").statusCode()).isEqualTo(404);
    }

    @Test
    void aTerminatingNamespaceAcceptsNoNewObjects() throws Exception {
        http.post("/api/v1/namespaces", "application/json", "{\"metadata\":{\"name\":\"closing\"}}");
        http.send(http.request("/api/v1/namespaces/closing").DELETE());
        assertThat(json(http.get("/api/v1/namespaces/closing")).path("status").path("phase").asString())
                .isEqualTo("Terminating");
        HttpResponse<String> refused = http.post("/api/v1/namespaces/closing/configmaps", "application/json", configMap("late"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused).path("message").asString()).contains("because it is being terminated");
        assertThat(http.post("/api/v1/namespaces/absent/configmaps", "application/json", configMap("x")).statusCode())
                .isEqualTo(404);
    }

    /** Admission reads from the watch cache, but only once that has caught up: a write just acknowledged counts. */
    @Test
    void aPodSeesThePriorityClassesCreatedRightBeforeIt() throws Exception {
        http.post("/api/v1/namespaces", "application/json", "{\"metadata\":{\"name\":\"prio\"}}");
        for (int i = 0; i < 20; i++) {
            String className = "made-just-before-" + i;
            assertThat(http.post("/apis/scheduling.k8s.io/v1/priorityclasses", "application/json",
                    "{\"metadata\":{\"name\":\"" + className + "\"},\"value\":" + (100 + i) + "}").statusCode()).isEqualTo(201);
            HttpResponse<String> pod = http.post("/api/v1/namespaces/prio/pods", "application/json",
                    "{\"metadata\":{\"name\":\"p" + i + "\"},\"spec\":{\"priorityClassName\":\"" + className
                            + "\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}");
            assertThat(pod.statusCode()).as(pod.body()).isEqualTo(201);
            assertThat(json(pod).path("spec").path("priority").asInt()).isEqualTo(100 + i);
        }
        try {
            http.post("/apis/scheduling.k8s.io/v1/priorityclasses", "application/json",
                    "{\"metadata\":{\"name\":\"default-just-made\"},\"value\":77,\"globalDefault\":true}");
            HttpResponse<String> pod = http.post("/api/v1/namespaces/prio/pods", "application/json",
                    "{\"metadata\":{\"name\":\"defaulted\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}");
            assertThat(json(pod).path("spec").path("priorityClassName").asString()).isEqualTo("default-just-made");
            assertThat(json(pod).path("spec").path("priority").asInt()).isEqualTo(77);
        } finally {
            http.send(http.request("/apis/scheduling.k8s.io/v1/priorityclasses/default-just-made").DELETE());
        }
    }

    @Test
    void pagedListsStayConsistentAndExpireWithCompaction() throws Exception {
        http.post("/api/v1/namespaces", "application/json", "{\"metadata\":{\"name\":\"paged\"}}");
        for (int i = 0; i < 5; i++) {
            http.post("/api/v1/namespaces/paged/configmaps", "application/json", configMap("c" + i));
        }
        JsonNode first = json(http.get("/api/v1/namespaces/paged/configmaps?limit=2"));
        assertThat(first.path("items")).hasSize(2);
        String token = first.path("metadata").path("continue").asString();
        assertThat(first.path("metadata").path("remainingItemCount").asInt()).isEqualTo(3);
        http.post("/api/v1/namespaces/paged/configmaps", "application/json", configMap("c9-late"));
        List<String> rest = new ArrayList<>();
        while (!token.isEmpty()) {
            JsonNode page = json(http.get("/api/v1/namespaces/paged/configmaps?limit=2&continue=" + token));
            page.path("items").forEach(item -> rest.add(item.path("metadata").path("name").asString()));
            token = page.path("metadata").path("continue").asString("");
        }
        assertThat(rest).containsExactly("c2", "c3", "c4");

        JsonNode again = json(http.get("/api/v1/namespaces/paged/configmaps?limit=1"));
        String expiring = again.path("metadata").path("continue").asString();
        http.post("/api/v1/namespaces/paged/configmaps", "application/json", configMap("c10"));
        cluster.store().compact(cluster.store().currentRevision());
        HttpResponse<String> expired = http.get("/api/v1/namespaces/paged/configmaps?limit=1&continue=" + expiring);
        assertThat(expired.statusCode()).isEqualTo(410);
        assertThat(json(expired).path("reason").asString()).isEqualTo("Expired");
    }

    @Test
    void watchesStreamEventsAndReportTooOldVersions() throws Exception {
        http.post("/api/v1/namespaces", "application/json", "{\"metadata\":{\"name\":\"watched\"}}");
        String rv = json(http.get("/api/v1/namespaces/watched/configmaps")).path("metadata").path("resourceVersion").asString();
        HttpResponse<InputStream> stream = http.adminClient().send(http.request(
                "/api/v1/namespaces/watched/configmaps?watch=true&resourceVersion=" + rv).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        http.post("/api/v1/namespaces/watched/configmaps", "application/json", configMap("seen"));
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(stream.body())).readLine();
        JsonNode event = Json.parse(line.getBytes());
        assertThat(event.path("type").asString()).isEqualTo("ADDED");
        assertThat(event.path("object").path("metadata").path("name").asString()).isEqualTo("seen");
        stream.body().close();
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("apiserver_registered_watchers") == 0.0);
    }

    @Test
    void aWatchFromBeforeTheCachedWindowGetsAnExpiredErrorEvent() throws Exception {
        try (TestCluster small = TestCluster.start(5)) {
            TestHttp smallHttp = new TestHttp(small, HttpClient.Version.HTTP_2);
            String first = json(smallHttp.post("/api/v1/namespaces/default/configmaps", "application/json",
                    configMap("w0"))).path("metadata").path("resourceVersion").asString();
            for (int i = 1; i <= 10; i++) {
                smallHttp.post("/api/v1/namespaces/default/configmaps", "application/json", configMap("w" + i));
            }
            HttpResponse<String> tooOld = smallHttp.get("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion="
                    + first);
            assertThat(tooOld.statusCode()).isEqualTo(200);
            JsonNode error = Json.parse(tooOld.body().lines().findFirst().orElseThrow().getBytes());
            assertThat(error.path("type").asString()).isEqualTo("ERROR");
            assertThat(error.path("object").path("code").asInt()).isEqualTo(410);
            assertThat(error.path("object").path("reason").asString()).isEqualTo("Expired");
        }
    }

    private double metric(String name) throws Exception {
        for (String line : http.get("/metrics").body().lines().toList()) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no metric " + name);
    }

    @Test
    void eventsAreStoredOnAnHourLongLeaseAndOtherObjectsAreNot() throws Exception {
        http.post("/api/v1/namespaces/default/events", "application/json", "{\"metadata\":{\"name\":\"ev1\"},"
                + "\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"p\"},\"reason\":\"R\",\"message\":\"m\"}");
        http.post("/api/v1/namespaces/default/configmaps", "application/json", configMap("no-lease"));
        var event = cluster.store().get("/registry/core/events/default/ev1").kv().orElseThrow();
        assertThat(event.lease()).isNotZero();
        assertThat(cluster.store().get("/registry/core/configmaps/default/no-lease").kv().orElseThrow().lease()).isZero();
        http.send(http.request("/api/v1/namespaces/default/events/ev1").header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"count\":2}")));
        assertThat(cluster.store().get("/registry/core/events/default/ev1").kv().orElseThrow().lease())
                .as("an update keeps the lease").isEqualTo(event.lease());
    }

    @Test
    void metricsCountRequestsByVerbResourceAndCode() throws Exception {
        http.get("/api/v1/namespaces/default/configmaps");
        String metrics = http.get("/metrics").body();
        assertThat(metrics).contains("apiserver_request_total{code=\"200\",resource=\"configmaps\",verb=\"LIST\"}")
                .contains("apiserver_request_duration_seconds_bucket").contains("etcd_request_duration_seconds");
    }

    @Test
    void concurrentServiceCreatesGetDistinctClusterIpsAndDeletesFreeThem() throws Exception {
        http.post("/api/v1/namespaces", "application/json", "{\"metadata\":{\"name\":\"svcs\"}}");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<HttpResponse<String>>> creates = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String body = "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"s" + i + "\"},"
                    + "\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"port\":80}]}}";
            creates.add(pool.submit(() -> http.post("/api/v1/namespaces/svcs/services", "application/json", body)));
        }
        Set<String> ips = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        for (Future<HttpResponse<String>> create : creates) {
            JsonNode service = json(create.get());
            ips.add(service.path("spec").path("clusterIP").asString());
            ports.add(service.path("spec").path("ports").get(0).path("nodePort").asInt());
        }
        pool.shutdown();
        assertThat(ips).hasSize(24).doesNotContain("10.43.0.1").allMatch(ip -> ip.startsWith("10.43."));
        assertThat(ports).hasSize(24).allMatch(port -> port >= 30000 && port <= 32767);

        String taken = json(http.get("/api/v1/namespaces/svcs/services/s0")).path("spec").path("clusterIP").asString();
        HttpResponse<String> clash = http.post("/api/v1/namespaces/svcs/services", "application/json",
                "{\"metadata\":{\"name\":\"clash\"},\"spec\":{\"clusterIP\":\"" + taken + "\",\"ports\":[{\"port\":80}]}}");
        assertThat(clash.statusCode()).isEqualTo(422);
        assertThat(clash.body()).contains("provided IP is already allocated");
        http.send(http.request("/api/v1/namespaces/svcs/services/s0").DELETE());
        HttpResponse<String> reuse = http.post("/api/v1/namespaces/svcs/services", "application/json",
                "{\"metadata\":{\"name\":\"reuse\"},\"spec\":{\"clusterIP\":\"" + taken + "\",\"ports\":[{\"port\":80}]}}");
        assertThat(reuse.statusCode()).as(reuse.body()).isEqualTo(201);
    }
}

package io.k4j.scheduler.plugins.defaultpreemption;

import static io.k4j.scheduler.plugins.defaultpreemption.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.scheduler.framework.PodInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The default evictor against a tiny HTTP server that records what the client sends. */
class ClientVictimEvictorTest {

    record Request(String method, String path, String contentType, String body) {
    }

    private static final String POD_JSON = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"NAME\",\"namespace\":\"default\"}}";
    private static final String NOT_FOUND = "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\","
            + "\"reason\":\"NotFound\",\"code\":404}";
    private static final String FORBIDDEN = "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\","
            + "\"reason\":\"Forbidden\",\"code\":403}";

    private static final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Per "METHOD path": the status code to answer (200 with the pod when absent). */
    private static final Map<String, Integer> answers = new ConcurrentHashMap<>();
    private static HttpServer server;
    private static KubernetesClient client;
    private static ClientVictimEvictor evictor;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
            int code = answers.getOrDefault(key, 200);
            String name = exchange.getRequestURI().getPath().replaceAll("/status$", "").replaceAll(".*/", "");
            byte[] reply = (code == 200 ? POD_JSON.replace("NAME", name) : code == 404 ? NOT_FOUND : FORBIDDEN)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(code, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .withRequestRetryBackoffLimit(0).build()).build();
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        evictor = new ClientVictimEvictor(() -> client, () -> clock);
    }

    @BeforeEach
    void reset() {
        requests.clear();
        answers.clear();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.stop(0);
    }

    @Test
    void patchesTheConditionThenDeletes() throws Exception {
        PodInfo preemptor = pod("p").info();
        evictor.evict(preemptor, pod("victim").info(), "node1");

        assertThat(requests).extracting(Request::method, Request::path).containsExactly(
                tuple("PATCH", "/api/v1/namespaces/default/pods/victim/status"),
                tuple("DELETE", "/api/v1/namespaces/default/pods/victim"));
        Request patch = requests.get(0);
        assertThat(patch.contentType()).startsWith("application/strategic-merge-patch+json");
        assertThat(patch.body()).contains("\"type\":\"DisruptionTarget\"", "\"status\":\"True\"",
                "\"reason\":\"PreemptionByScheduler\"",
                "\"message\":\"default-scheduler: preempting to accommodate a higher priority pod\"",
                "\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"");
    }

    @Test
    void skipsThePatchWhenTheConditionIsThere() throws Exception {
        PodInfo victim = new PodInfo(pod("victim").pod());
        victim.pod().getStatus().getConditions().add(new PodConditionBuilder().withType("DisruptionTarget")
                .withStatus("True").withReason("PreemptionByScheduler")
                .withMessage("default-scheduler: preempting to accommodate a higher priority pod").build());
        evictor.evict(pod("p").info(), victim, "node1");
        assertThat(requests).extracting(Request::method).containsExactly("DELETE");
    }

    @Test
    void aVictimGoneBeforeThePatchIsNotAnError() throws Exception {
        answers.put("PATCH /api/v1/namespaces/default/pods/victim/status", 404);
        evictor.evict(pod("p").info(), pod("victim").info(), "node1");
        assertThat(requests).extracting(Request::method).containsExactly("PATCH");
    }

    @Test
    void aVictimGoneBeforeTheDeleteIsNotAnError() throws Exception {
        answers.put("DELETE /api/v1/namespaces/default/pods/victim", 404);
        evictor.evict(pod("p").info(), pod("victim").info(), "node1");
        assertThat(requests).extracting(Request::method).containsExactly("PATCH", "DELETE");
    }

    @Test
    void otherRefusalsFail() {
        answers.put("PATCH /api/v1/namespaces/default/pods/victim/status", 403);
        assertThatThrownBy(() -> evictor.evict(pod("p").info(), pod("victim").info(), "node1"))
                .isInstanceOf(KubernetesClientException.class);
        assertThat(requests).extracting(Request::method).containsExactly("PATCH");
    }

    @Test
    void clearsOnlyPodsThatHaveANomination() {
        answers.put("PATCH /api/v1/namespaces/default/pods/b/status", 403); // logged, not thrown
        evictor.clearNominatedNodeName(List.of(pod("a").nominated("node1").info(), pod("none").info(),
                pod("b").nominated("node1").info()));
        assertThat(requests).extracting(Request::path).containsExactly(
                "/api/v1/namespaces/default/pods/a/status", "/api/v1/namespaces/default/pods/b/status");
        assertThat(requests.get(0).body()).isEqualTo("{\"status\":{\"nominatedNodeName\":null}}");
        assertThat(requests.get(0).contentType()).startsWith("application/strategic-merge-patch+json");
    }
}

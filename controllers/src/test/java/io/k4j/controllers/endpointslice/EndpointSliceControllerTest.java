package io.k4j.controllers.endpointslice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.client.testing.MutableClock;
import io.k4j.controllers.endpoints.TestPods;
import io.k4j.controllers.testing.ControllerHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EndpointSliceControllerTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static ControllerHarness harness;
    static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        harness = ControllerHarness.start();
        client = harness.client();
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1")
                .addToLabels(DesiredEndpoints.ZONE_LABEL, "zone-a").endMetadata().build()).create();
        MutableClock clock = new MutableClock();
        // Slices of 5 endpoints: the 100 of upstream's default are SlicePlanTest's business.
        harness.run(EndpointSliceController.NAME, new EndpointSliceController(clock, 5), clock, 2);
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    static void namespaceAndService(String namespace) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .create();
        client.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata().withName("web")
                .endMetadata().withNewSpec().withSelector(Map.of("app", "web"))
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("web")).endPort()
                .endSpec().build()).create();
    }

    static List<EndpointSlice> slices(String namespace) {
        return client.discovery().v1().endpointSlices().inNamespace(namespace)
                .withLabel(EndpointSliceController.SERVICE_NAME_LABEL, "web").list().getItems();
    }

    static int endpointCount(String namespace) {
        return slices(namespace).stream().mapToInt(s -> SlicePlan.endpoints(s).size()).sum();
    }

    @Test
    void endpointsCarryTheirConditionsNodeZoneAndPod() {
        namespaceAndService("es-basic");
        TestPods.create(client, "es-basic", "a", Map.of("app", "web"), 8080, "n1", "10.42.0.2", true);
        TestPods.create(client, "es-basic", "b", Map.of("app", "web"), 8080, "n1", "10.42.0.3", false);

        await().atMost(WAIT).until(() -> endpointCount("es-basic") == 2);
        List<EndpointSlice> slices = slices("es-basic");
        assertThat(slices).hasSize(1);
        EndpointSlice slice = slices.get(0);
        assertThat(slice.getMetadata().getName()).startsWith("web-");
        assertThat(slice.getMetadata().getLabels()).containsEntry(EndpointSliceController.MANAGED_BY_LABEL,
                EndpointSliceController.MANAGED_BY);
        assertThat(slice.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("Service");
        assertThat(slice.getAddressType()).isEqualTo("IPv4");
        assertThat(slice.getPorts().get(0).getPort()).isEqualTo(8080);
        assertThat(slice.getPorts().get(0).getName()).isEqualTo("http");
        Endpoint a = slice.getEndpoints().stream().filter(e -> e.getTargetRef().getName().equals("a")).findFirst()
                .orElseThrow();
        assertThat(a.getAddresses()).containsExactly("10.42.0.2");
        assertThat(a.getConditions().getReady()).isTrue();
        assertThat(a.getConditions().getServing()).isTrue();
        assertThat(a.getConditions().getTerminating()).isFalse();
        assertThat(a.getNodeName()).isEqualTo("n1");
        assertThat(a.getZone()).isEqualTo("zone-a");
        Endpoint b = slice.getEndpoints().stream().filter(e -> e.getTargetRef().getName().equals("b")).findFirst()
                .orElseThrow();
        assertThat(b.getConditions().getReady()).isFalse();

        String version = slice.getMetadata().getResourceVersion(); // and no further writes once in place
        await().during(Duration.ofSeconds(1)).atMost(WAIT)
                .until(() -> slices("es-basic").get(0).getMetadata().getResourceVersion().equals(version));
    }

    @Test
    void aServiceWithoutPodsHasOneEmptySlice() {
        namespaceAndService("es-empty");
        await().atMost(WAIT).until(() -> slices("es-empty").size() == 1);
        assertThat(slices("es-empty").get(0).getEndpoints()).isNullOrEmpty();

        TestPods.create(client, "es-empty", "a", Map.of("app", "web"), 8080, "n1", "10.42.1.2", true);
        await().atMost(WAIT).until(() -> endpointCount("es-empty") == 1 && slices("es-empty").size() == 1);
    }

    @Test
    void slicesHoldAtMostTheirLimit() {
        namespaceAndService("es-many");
        for (int i = 0; i < 12; i++) {
            TestPods.create(client, "es-many", "p" + i, Map.of("app", "web"), 8080, "n1",
                    "10.42." + (2 + i / 200) + "." + (i % 200 + 2), true);
        }
        await().atMost(WAIT).until(() -> endpointCount("es-many") == 12);
        assertThat(slices("es-many")).extracting(s -> s.getEndpoints().size()).containsExactlyInAnyOrder(5, 5, 2);
    }
}

package io.k4j.controllers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.client.testing.MutableClock;
import io.k4j.controllers.testing.ControllerHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EndpointsControllerTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static ControllerHarness harness;
    static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        harness = ControllerHarness.start();
        client = harness.client();
        harness.run(EndpointsController.NAME, new EndpointsController(), new MutableClock(), 2);
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    static void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
    }

    static Service service(String namespace, String name, String app, boolean publishNotReady) {
        return client.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata().withName(name)
                .addToLabels("team", "a").endMetadata()
                .withNewSpec().withSelector(Map.of("app", app)).withPublishNotReadyAddresses(publishNotReady)
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("web")).endPort()
                .endSpec().build()).create();
    }

    static Endpoints endpoints(String namespace, String name) {
        return client.endpoints().inNamespace(namespace).withName(name).get();
    }

    static List<String> ips(List<EndpointAddress> addresses) {
        return addresses == null ? List.of() : addresses.stream().map(EndpointAddress::getIp).toList();
    }

    @Test
    void readyPodsAreAddressesAndOthersNotReadyAddressesOnTheirNamedPorts() {
        namespace("ep-basic");
        TestPods.create(client, "ep-basic", "a", Map.of("app", "web"), 8080, "n1", "10.42.0.2", true);
        TestPods.create(client, "ep-basic", "b", Map.of("app", "web"), 9090, "n2", "10.42.0.3", false);
        TestPods.create(client, "ep-basic", "pending", Map.of("app", "web"), 8080, null, null, false);
        TestPods.create(client, "ep-basic", "other", Map.of("app", "db"), 8080, "n1", "10.42.0.9", true);
        service("ep-basic", "web", "web", false);

        await().atMost(WAIT).until(() -> endpoints("ep-basic", "web") != null
                && endpoints("ep-basic", "web").getSubsets().size() == 2);
        Endpoints endpoints = endpoints("ep-basic", "web");
        assertThat(endpoints.getMetadata().getLabels()).containsEntry("team", "a");
        assertThat(endpoints.getMetadata().getAnnotations()).containsKey(ServicePods.TRIGGER_TIME_ANNOTATION);
        EndpointSubset on8080 = endpoints.getSubsets().stream()
                .filter(s -> s.getPorts().get(0).getPort() == 8080).findFirst().orElseThrow();
        assertThat(ips(on8080.getAddresses())).containsExactly("10.42.0.2");
        assertThat(on8080.getAddresses().get(0).getNodeName()).isEqualTo("n1");
        assertThat(on8080.getAddresses().get(0).getTargetRef().getName()).isEqualTo("a");
        assertThat(on8080.getPorts().get(0).getName()).isEqualTo("http");
        EndpointSubset on9090 = endpoints.getSubsets().stream()
                .filter(s -> s.getPorts().get(0).getPort() == 9090).findFirst().orElseThrow();
        assertThat(ips(on9090.getNotReadyAddresses())).containsExactly("10.42.0.3");
        assertThat(on9090.getAddresses()).isNullOrEmpty();
        String version = endpoints.getMetadata().getResourceVersion(); // and no further writes once in place
        await().during(Duration.ofSeconds(1)).atMost(WAIT)
                .until(() -> endpoints("ep-basic", "web").getMetadata().getResourceVersion().equals(version));

        client.services().inNamespace("ep-basic").withName("web").delete();
        await().atMost(WAIT).until(() -> endpoints("ep-basic", "web") == null);
    }

    @Test
    void publishNotReadyAddressesListsEveryPodAsAnAddress() {
        namespace("ep-publish");
        TestPods.create(client, "ep-publish", "a", Map.of("app", "web"), 8080, "n1", "10.42.1.2", true);
        TestPods.create(client, "ep-publish", "b", Map.of("app", "web"), 8080, "n1", "10.42.1.3", false);
        service("ep-publish", "web", "web", true);

        await().atMost(WAIT).until(() -> endpoints("ep-publish", "web") != null
                && ips(endpoints("ep-publish", "web").getSubsets().get(0).getAddresses()).size() == 2);
        assertThat(ips(endpoints("ep-publish", "web").getSubsets().get(0).getAddresses()))
                .containsExactly("10.42.1.2", "10.42.1.3");
    }

    @Test
    void headlessServicesWithoutPortsListHostnames() {
        namespace("ep-headless");
        client.pods().inNamespace("ep-headless").resource(new PodBuilder().withNewMetadata().withName("h")
                .addToLabels("app", "db").endMetadata().withNewSpec().withHostname("db-0").withSubdomain("db")
                .addNewContainer().withName("c").withImage("x").endContainer().endSpec().build()).create();
        var pod = client.pods().inNamespace("ep-headless").withName("h").get();
        client.pods().inNamespace("ep-headless").resource(new PodBuilder(pod).withNewStatus().withPodIP("10.42.2.2")
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build())
                .updateStatus();
        client.services().inNamespace("ep-headless").resource(new ServiceBuilder().withNewMetadata().withName("db")
                .endMetadata().withNewSpec().withClusterIP("None").withSelector(Map.of("app", "db")).endSpec().build())
                .create();

        await().atMost(WAIT).until(() -> endpoints("ep-headless", "db") != null
                && !endpoints("ep-headless", "db").getSubsets().isEmpty());
        Endpoints endpoints = endpoints("ep-headless", "db");
        assertThat(endpoints.getMetadata().getLabels()).containsEntry(ServicePods.HEADLESS_LABEL, "");
        assertThat(endpoints.getSubsets().get(0).getPorts()).isNullOrEmpty();
        assertThat(endpoints.getSubsets().get(0).getAddresses().get(0).getHostname()).isEqualTo("db-0");
    }

    @Test
    void servicesWithoutSelectorKeepTheirHandMadeEndpoints() {
        namespace("ep-manual");
        client.endpoints().inNamespace("ep-manual").resource(new EndpointsBuilder().withNewMetadata()
                .withName("ext").endMetadata().addNewSubset().addNewAddress().withIp("192.0.2.1").endAddress()
                .addNewPort().withPort(443).endPort().endSubset().build()).create();
        client.services().inNamespace("ep-manual").resource(new ServiceBuilder().withNewMetadata().withName("ext")
                .endMetadata().withNewSpec().addNewPort().withPort(443).endPort().endSpec().build()).create();
        TestPods.create(client, "ep-manual", "a", Map.of("app", "web"), 8080, "n1", "10.42.3.2", true);
        service("ep-manual", "web", "web", false);
        await().atMost(WAIT).until(() -> endpoints("ep-manual", "web") != null);

        assertThat(ips(endpoints("ep-manual", "ext").getSubsets().get(0).getAddresses())).containsExactly("192.0.2.1");
    }
}

package io.k4j.controllers.nodeipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.client.testing.MutableClock;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.runtime.ControllerLoop;
import io.k4j.controllers.testing.ControllerHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NodeIpamControllerTest {

    static ControllerHarness harness;
    static KubernetesClient client;
    static ControllerLoop loop;

    @BeforeAll
    static void start() throws Exception {
        harness = ControllerHarness.start();
        client = harness.client();
        loop = harness.run(NodeIpamController.NAME, new NodeIpamController("10.42.0.0/23", 24), new MutableClock(), 2);
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @Test
    void nodesGetFreeSubnetsAndAFullRangeIsReported() {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("preset").endMetadata()
                .withNewSpec().withPodCIDR("10.42.0.0/24").withPodCIDRs("10.42.0.0/24").endSpec().build()).create();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> loop.context().cache(io.fabric8.kubernetes.api.model.Node.class).list().size() == 1);
        createNode("fresh");
        await().atMost(Duration.ofSeconds(10)).until(() -> "10.42.1.0/24".equals(podCidr("fresh")));
        assertThat(client.nodes().withName("fresh").get().getSpec().getPodCIDRs()).containsExactly("10.42.1.0/24");

        createNode("late");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.v1().events().inNamespace("default").list()
                .getItems().stream().anyMatch(e -> "CIDRNotAvailable".equals(e.getReason())
                        && "late".equals(e.getInvolvedObject().getName())));
        assertThat(podCidr("late")).isNull();

        client.nodes().withName("fresh").delete();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> loop.context().cache(io.fabric8.kubernetes.api.model.Node.class).list().size() == 2);
        loop.queue().add(ObjectKey.cluster("late")); // instead of waiting for its retry
        await().atMost(Duration.ofSeconds(10)).until(() -> "10.42.1.0/24".equals(podCidr("late")));
    }

    private static void createNode(String name) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    private static String podCidr(String name) {
        var node = client.nodes().withName(name).get();
        return node.getSpec() == null ? null : node.getSpec().getPodCIDR();
    }
}

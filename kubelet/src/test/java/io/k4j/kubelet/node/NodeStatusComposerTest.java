package io.k4j.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.k4j.kubelet.image.Image;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NodeStatusComposerTest {

    static final NodeStatusComposer.Facts FACTS = new NodeStatusComposer.Facts(NodeResourcesTest.MACHINE, "10.0.0.5",
            "node-1", 10250, NodeAgent.KUBELET_VERSION, "runc://1.1.5");
    static final Instant T0 = Instant.parse("2026-11-27T01:00:00Z");

    private final NodeConditions conditions = new NodeConditions(EvictionThresholds.DEFAULTS,
            NodeConditions.PRESSURE_TRANSITION_PERIOD);

    @Test
    void composesEveryFieldTheKubeletOwns() {
        NodeStatus status = compose(null, T0, List.of(image("busybox", 2_000_000)));

        assertThat(status.getAddresses()).extracting(a -> a.getType() + "=" + a.getAddress())
                .containsExactly("InternalIP=10.0.0.5", "Hostname=node-1");
        assertThat(status.getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(10250);
        assertThat(status.getNodeInfo().getKubeletVersion()).isEqualTo("v1.32.0+k4j");
        assertThat(status.getNodeInfo().getContainerRuntimeVersion()).isEqualTo("runc://1.1.5");
        assertThat(status.getNodeInfo().getOsImage()).isEqualTo("Debian");
        assertThat(status.getNodeInfo().getArchitecture()).isEqualTo("amd64");
        assertThat(status.getNodeInfo().getOperatingSystem()).isEqualTo("linux");
        assertThat(status.getNodeInfo().getBootID()).isEqualTo("b");
        assertThat(status.getImages()).singleElement().satisfies(image -> {
            assertThat(image.getNames()).containsExactly("docker.io/library/busybox@sha256:busybox",
                    "docker.io/library/busybox:latest");
            assertThat(image.getSizeBytes()).isEqualTo(2_000_000);
        });
        assertThat(status.getCapacity()).containsKeys("cpu", "memory", "ephemeral-storage", "pods");
    }

    @Test
    void conditionsOfOthersStayWhereTheyAre() {
        NodeCondition network = new NodeConditionBuilder().withType("NetworkUnavailable").withStatus("False")
                .withReason("RouteCreated").build();
        NodeCondition staleReady = new NodeConditionBuilder().withType("Ready").withStatus("Unknown")
                .withReason("NodeStatusUnknown").build();

        List<NodeCondition> merged = NodeStatusComposer.mergeConditions(List.of(network, staleReady),
                conditions.compute(NodeConditionsTest.CALM, List.of(), List.of(), T0));

        assertThat(merged).extracting(NodeCondition::getType)
                .containsExactly("NetworkUnavailable", "Ready", "MemoryPressure", "DiskPressure", "PIDPressure");
        assertThat(merged.get(1).getStatus()).isEqualTo("True");
    }

    @Test
    void imagesAreTheLargestFiftyLargestFirst() {
        List<Image> images = IntStream.range(0, 60).mapToObj(index -> image("image" + index, index)).toList();

        var listed = NodeStatusComposer.images(images);

        assertThat(listed).hasSize(50);
        assertThat(listed.get(0).getSizeBytes()).isEqualTo(59);
        assertThat(listed.get(49).getSizeBytes()).isEqualTo(10);
    }

    @Test
    void aNewHeartbeatAloneIsNoChange() {
        NodeStatus first = compose(null, T0, List.of());
        NodeStatus later = compose(first, T0.plusSeconds(10), List.of());
        NodeStatus notReady = new NodeStatusBuilder(later).withConditions(NodeStatusComposer.mergeConditions(
                later.getConditions(), conditions.compute(NodeConditionsTest.CALM, List.of("runtime down"),
                        later.getConditions(), T0.plusSeconds(20)))).build();

        assertThat(later.getConditions().get(3).getLastHeartbeatTime()).isEqualTo("2026-11-27T01:00:10Z");
        assertThat(NodeStatusComposer.changed(first, later)).isFalse();
        assertThat(NodeStatusComposer.changed(later, notReady)).isTrue();
        assertThat(NodeStatusComposer.changed(first, compose(first, T0, List.of(image("new", 1))))).isTrue();
    }

    private NodeStatus compose(NodeStatus current, Instant now, List<Image> images) {
        List<NodeCondition> previous = current == null ? List.of() : current.getConditions();
        return NodeStatusComposer.compose(current, FACTS, NodeResourcesTest.SIGNALS, EvictionThresholds.DEFAULTS,
                conditions.compute(NodeConditionsTest.CALM, List.of(), previous, now), images);
    }

    static Image image(String name, long size) {
        return new Image("sha256:" + name, List.of("docker.io/library/" + name + ":latest"),
                List.of("docker.io/library/" + name + "@sha256:" + name), size, List.of(), null);
    }
}

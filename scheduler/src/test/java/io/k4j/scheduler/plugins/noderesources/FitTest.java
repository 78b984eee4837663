package io.k4j.scheduler.plugins.noderesources;

import static io.k4j.scheduler.plugins.BasicFixtures.container;
import static io.k4j.scheduler.plugins.BasicFixtures.node;
import static io.k4j.scheduler.plugins.BasicFixtures.nodeInfo;
import static io.k4j.scheduler.plugins.BasicFixtures.pod;
import static io.k4j.scheduler.plugins.BasicFixtures.podRequesting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.k4j.scheduler.framework.Code;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.EnqueueExtensions.QueueingHint;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.Snapshot;
import io.k4j.scheduler.framework.Status;
import io.k4j.scheduler.testing.FakeHandle;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FitTest {

    /** 10 millicores, 20 bytes of memory, 20 of ephemeral storage, 5 example.com/foo, 5 hugepages-2Mi, 32 pods. */
    private static Node smallNode(String pods) {
        return node("n1", Map.of("cpu", "10m", "memory", "20", "ephemeral-storage", "20", "example.com/foo", "5",
                "hugepages-2Mi", "5", "pods", pods)).build();
    }

    private static Pod requesting(String name, Map<String, String> requests) {
        return pod(name).editSpec().withContainers(container("c", requests)).endSpec().build();
    }

    static Stream<Arguments> filterCases() {
        Pod existing10 = requesting("e", Map.of("cpu", "10m", "memory", "20"));
        Pod existing5 = requesting("e", Map.of("cpu", "5m", "memory", "5"));
        Pod withInit = pod("p").editSpec().withContainers(container("c", Map.of("cpu", "1m", "memory", "1")))
                .withInitContainers(container("i", Map.of("cpu", "3m", "memory", "1"))).endSpec().build();
        Pod foo = requesting("p", Map.of("example.com/foo", "3"));
        Pod existingFoo = requesting("e", Map.of("example.com/foo", "3"));
        return Stream.of(
                Arguments.of("no resources requested always fits", pod("p").build(), List.of(existing10), "32",
                        PluginArgs.NONE, List.of()),
                Arguments.of("too many resources fails", requesting("p", Map.of("cpu", "1m", "memory", "1")),
                        List.of(existing10), "32", PluginArgs.NONE, List.of("Insufficient cpu", "Insufficient memory")),
                Arguments.of("fits what is left", requesting("p", Map.of("cpu", "5m", "memory", "15")),
                        List.of(existing5), "32", PluginArgs.NONE, List.of()),
                Arguments.of("one resource short", requesting("p", Map.of("cpu", "6m", "memory", "15")),
                        List.of(existing5), "32", PluginArgs.NONE, List.of("Insufficient cpu")),
                Arguments.of("an init container larger than the containers counts", withInit,
                        List.of(requesting("e", Map.of("cpu", "8m", "memory", "1"))), "32", PluginArgs.NONE,
                        List.of("Insufficient cpu")),
                Arguments.of("ephemeral storage", requesting("p", Map.of("ephemeral-storage", "25")), List.of(), "32",
                        PluginArgs.NONE, List.of("Insufficient ephemeral-storage")),
                Arguments.of("extended resource fits", foo, List.of(), "32", PluginArgs.NONE, List.of()),
                Arguments.of("extended resource insufficient", foo, List.of(existingFoo), "32", PluginArgs.NONE,
                        List.of("Insufficient example.com/foo")),
                Arguments.of("extended resource the node lacks", requesting("p", Map.of("example.com/bar", "1")), List.of(),
                        "32", PluginArgs.NONE, List.of("Insufficient example.com/bar")),
                Arguments.of("ignored extended resource", foo, List.of(existingFoo), "32",
                        new PluginArgs(Map.of("ignoredResources", List.of("example.com/foo"))), List.of()),
                Arguments.of("ignored resource group", foo, List.of(existingFoo), "32",
                        new PluginArgs(Map.of("ignoredResourceGroups", List.of("example.com"))), List.of()),
                Arguments.of("hugepages are not extended resources, so never ignored",
                        requesting("p", Map.of("hugepages-2Mi", "6")), List.of(), "32",
                        new PluginArgs(Map.of("ignoredResources", List.of("hugepages-2Mi"))), List.of("Insufficient hugepages-2Mi")),
                Arguments.of("too many pods", pod("p").build(), List.of(existing5), "1", PluginArgs.NONE,
                        List.of("Too many pods")),
                Arguments.of("too many pods and too little of everything: all reasons",
                        requesting("p", Map.of("cpu", "6m", "memory", "16", "example.com/foo", "6")), List.of(existing5), "1",
                        PluginArgs.NONE,
                        List.of("Too many pods", "Insufficient cpu", "Insufficient memory", "Insufficient example.com/foo")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filterCases")
    void filter(String name, Pod pod, List<Pod> existing, String pods, PluginArgs args, List<String> reasons) {
        Fit fit = new Fit(args, new FakeHandle());
        PodInfo info = new PodInfo(pod);
        CycleState state = new CycleState();
        assertThat(fit.preFilter(state, info, new Snapshot()).status().isSuccess()).isTrue();
        NodeInfo node = nodeInfo(smallNode(pods), existing.toArray(Pod[]::new));
        for (CycleState s : List.of(state, new CycleState())) {
            Status status = fit.filter(s, info, node);
            if (reasons.isEmpty()) {
                assertThat(status.isSuccess()).as(status.message()).isTrue();
            } else {
                assertThat(status.code()).isEqualTo(Code.UNSCHEDULABLE);
                assertThat(status.reasons()).containsExactlyElementsOf(reasons);
            }
        }
    }

    static Stream<Arguments> invalidArgs() {
        return Stream.of(
                Arguments.of("unknown strategy", Map.of("scoringStrategy", Map.of("type", "Bogus"))),
                Arguments.of("weight out of range", Map.of("scoringStrategy", Map.of("type", "LeastAllocated",
                        "resources", List.of(Map.of("name", "cpu", "weight", 101))))),
                Arguments.of("negative weight", Map.of("scoringStrategy", Map.of("resources",
                        List.of(Map.of("name", "cpu", "weight", -1))))),
                Arguments.of("duplicate resource", Map.of("scoringStrategy", Map.of("resources",
                        List.of(Map.of("name", "cpu"), Map.of("name", "cpu"))))),
                Arguments.of("ratio without shape", Map.of("scoringStrategy", Map.of("type", "RequestedToCapacityRatio"))),
                Arguments.of("shape not increasing", Map.of("scoringStrategy", Map.of("type", "RequestedToCapacityRatio",
                        "requestedToCapacityRatio", Map.of("shape", List.of(Map.of("utilization", 50, "score", 1),
                                Map.of("utilization", 50, "score", 2)))))),
                Arguments.of("shape score above 10", Map.of("scoringStrategy", Map.of("type", "RequestedToCapacityRatio",
                        "requestedToCapacityRatio", Map.of("shape", List.of(Map.of("utilization", 0, "score", 11)))))),
                Arguments.of("resource group with a slash", Map.of("ignoredResourceGroups", List.of("example.com/foo"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidArgs")
    void rejectsInvalidArgs(String name, Map<String, Object> args) {
        assertThatThrownBy(() -> new Fit(new PluginArgs(args), new FakeHandle())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultsToLeastAllocated() {
        assertThat(new Fit(PluginArgs.NONE, new FakeHandle()).strategy()).isEqualTo("LeastAllocated");
        assertThat(new Fit(new PluginArgs(Map.of("scoringStrategy", Map.of("resources", List.of(Map.of("name", "cpu"))))),
                new FakeHandle()).strategy()).isEqualTo("LeastAllocated");
    }

    static Stream<Arguments> podHints() {
        Pod bound = podRequesting("e", "2", "2Gi");
        bound.getSpec().setNodeName("n1");
        Pod boundLessCpu = podRequesting("e", "1", "2Gi");
        boundLessCpu.getSpec().setNodeName("n1");
        Pod boundLessMemory = podRequesting("e", "2", "1Gi");
        boundLessMemory.getSpec().setNodeName("n1");
        Pod unbound = podRequesting("e", "2", "2Gi");
        return Stream.of(
                Arguments.of("bound pod deleted", bound, null, QueueingHint.QUEUE),
                Arguments.of("unbound pod deleted", unbound, null, QueueingHint.SKIP),
                Arguments.of("bound pod scaled down a resource the pod wants", bound, boundLessCpu, QueueingHint.QUEUE),
                Arguments.of("bound pod scaled down a resource the pod does not want", bound, boundLessMemory, QueueingHint.SKIP),
                Arguments.of("unbound pod scaled down", unbound, podRequesting("e", "1", "2Gi"), QueueingHint.SKIP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("podHints")
    void podHint(String name, Pod before, Pod after, QueueingHint expected) {
        PodInfo pod = new PodInfo(podRequesting("p", "1", null));
        assertThat(Fit.isSchedulableAfterPodEvent(pod, before, after)).isEqualTo(expected);
    }

    static Stream<Arguments> nodeHints() {
        Node small = node("n1", Map.of("cpu", "1", "memory", "1Gi", "pods", "10")).build();
        Node big = node("n1", Map.of("cpu", "4", "memory", "8Gi", "pods", "10")).build();
        Node bigger = node("n1", Map.of("cpu", "8", "memory", "8Gi", "pods", "10")).build();
        Node moreMemory = node("n1", Map.of("cpu", "4", "memory", "16Gi", "pods", "10")).build();
        Node morePods = node("n1", Map.of("cpu", "4", "memory", "8Gi", "pods", "20")).build();
        Node labeled = node("n1", Map.of("cpu", "4", "memory", "8Gi", "pods", "10")).editMetadata()
                .addToLabels("a", "b").endMetadata().build();
        return Stream.of(
                Arguments.of("node added where the pod fits", null, big, QueueingHint.QUEUE),
                Arguments.of("node added too small", null, small, QueueingHint.SKIP),
                Arguments.of("node grew to fit", small, big, QueueingHint.QUEUE),
                Arguments.of("node grew a resource the pod wants", big, bigger, QueueingHint.QUEUE),
                Arguments.of("node grew a resource the pod does not want", big, moreMemory, QueueingHint.SKIP),
                Arguments.of("node takes more pods", big, morePods, QueueingHint.QUEUE),
                Arguments.of("nothing grew", big, labeled, QueueingHint.SKIP),
                Arguments.of("grew but still too small", small,
                        node("n1", Map.of("cpu", "1500m", "memory", "1Gi", "pods", "10")).build(), QueueingHint.SKIP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeHints")
    void nodeHint(String name, Node before, Node after, QueueingHint expected) {
        PodInfo pod = new PodInfo(podRequesting("p", "2", null));
        assertThat(Fit.isSchedulableAfterNodeChange(pod, before, after)).isEqualTo(expected);
    }

    @Test
    void containersWithoutRequestsAreNotDefaultedForTheFilter() {
        Container noRequests = container("c", Map.of());
        Pod pod = pod("p").editSpec().withContainers(noRequests).endSpec().build();
        Node node = node("n1", Map.of("cpu", "0", "memory", "0", "pods", "1")).build();
        assertThat(new Fit(PluginArgs.NONE, new FakeHandle()).filter(new CycleState(), new PodInfo(pod), nodeInfo(node))
                .isSuccess()).isTrue();
    }
}

package io.k4j.scheduler.plugins.imagelocality;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.Snapshot;
import io.k4j.scheduler.plugins.BasicFixtures;
import io.k4j.scheduler.testing.FakeHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Upstream's TestImageLocalityPriority cases, and init containers and tags. */
class ImageLocalityTest {

    private static final long MB = 1024L * 1024;

    private static final Map<String, Long> NODE_40_300_2000 = Map.of("gcr.io/40:latest", 40 * MB, "gcr.io/300:latest", 300 * MB,
            "gcr.io/2000:latest", 2000 * MB);
    private static final Map<String, Long> NODE_250_10 = Map.of("gcr.io/250:latest", 250 * MB, "gcr.io/10:latest", 10 * MB);
    private static final Map<String, Long> NODE_WITH_DIGEST = Map.of("gcr.io/250@sha256:abc", 250 * MB,
            "gcr.io/10:v1", 10 * MB);

    static Stream<Arguments> cases() {
        return Stream.of(
                // node1: 40MB/2 spread → below 23MB → 0; node2: 250MB/2 → 100*(125-23)/(2000-23) = 5
                Arguments.of("two images spread on two nodes, prefer the larger image one", List.of(),
                        List.of("gcr.io/40", "gcr.io/250"), List.of(NODE_40_300_2000, NODE_250_10), new long[] {0, 5}),
                // node1: (40+300)/2 = 170MB → 7
                Arguments.of("two images on one node, prefer this node", List.of(), List.of("gcr.io/40", "gcr.io/300"),
                        List.of(NODE_40_300_2000, NODE_250_10), new long[] {7, 0}),
                // node1: 2000/2 = 1000MB of a 2000MB ceiling → 49
                Arguments.of("a large image, spread over half the nodes", List.of(), List.of("gcr.io/2000", "gcr.io/10"),
                        List.of(NODE_40_300_2000, NODE_250_10), new long[] {49, 0}),
                // node1: 2000/3 → 32
                Arguments.of("a node without images lowers the spread", List.of(), List.of("gcr.io/2000", "gcr.io/10"),
                        List.of(NODE_40_300_2000, NODE_250_10, Map.of()), new long[] {32, 0, 0}),
                // one container: ceiling 1000MB, 2000/2 = 1000MB → 100
                Arguments.of("the sum is capped at 1000MB per container", List.of(), List.of("gcr.io/2000"),
                        List.of(NODE_40_300_2000, NODE_250_10), new long[] {100, 0}),
                Arguments.of("init containers count", List.of("gcr.io/300"), List.of("gcr.io/40"),
                        List.of(NODE_40_300_2000, NODE_250_10), new long[] {7, 0}),
                Arguments.of("explicit tags and digests match as they are", List.of(),
                        List.of("gcr.io/250@sha256:abc", "gcr.io/10:v1"), List.of(NODE_40_300_2000, NODE_WITH_DIGEST),
                        new long[] {0, 5}),
                Arguments.of("no image anywhere", List.of(), List.of("gcr.io/none"),
                        List.of(NODE_40_300_2000, NODE_250_10), new long[] {0, 0}),
                // both nodes have gcr.io/250: spread 1 → 250MB → 100*(250-23)/(1000-23) = 23
                Arguments.of("an image on every node keeps its full size", List.of(), List.of("gcr.io/250"),
                        List.of(NODE_250_10, NODE_250_ONLY), new long[] {23, 23}));
    }

    private static final Map<String, Long> NODE_250_ONLY = Map.of("gcr.io/250:latest", 250 * MB);

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void score(String name, List<String> initImages, List<String> images, List<Map<String, Long>> nodeImages,
            long[] expected) {
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 0; i < nodeImages.size(); i++) {
            nodes.add(BasicFixtures.nodeInfo(BasicFixtures.nodeWithImages("n" + i, new LinkedHashMap<>(nodeImages.get(i)))));
        }
        FakeHandle handle = new FakeHandle();
        handle.snapshot = Snapshot.of(nodes);
        ImageLocality plugin = new ImageLocality(PluginArgs.NONE, handle);
        PodInfo pod = new PodInfo(pod(initImages, images));
        long[] scores = new long[nodes.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = plugin.score(new CycleState(), pod, nodes.get(i));
        }
        plugin.normalizeScores(new CycleState(), pod, nodes, scores);
        assertThat(scores).containsExactly(expected);
    }

    static Stream<Arguments> names() {
        return Stream.of(
                Arguments.of("nginx", "nginx:latest"),
                Arguments.of("nginx:1.25", "nginx:1.25"),
                Arguments.of("localhost:5000/nginx", "localhost:5000/nginx:latest"),
                Arguments.of("localhost:5000/nginx:v2", "localhost:5000/nginx:v2"),
                Arguments.of("gcr.io/x@sha256:abc", "gcr.io/x@sha256:abc"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void normalizedImageName(String image, String expected) {
        assertThat(ImageLocality.normalizedImageName(image)).isEqualTo(expected);
    }

    private static Pod pod(List<String> initImages, List<String> images) {
        return BasicFixtures.pod("p").editSpec().withInitContainers(containers("i", initImages))
                .withContainers(containers("c", images)).endSpec().build();
    }

    private static List<Container> containers(String prefix, List<String> images) {
        List<Container> list = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            list.add(new ContainerBuilder().withName(prefix + i).withImage(images.get(i)).build());
        }
        return list;
    }
}

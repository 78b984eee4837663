package io.k4j.scheduler.plugins.nodename;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.scheduler.framework.Code;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.EnqueueExtensions.QueueingHint;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.PreFilterPlugin;
import io.k4j.scheduler.framework.Snapshot;
import io.k4j.scheduler.framework.Status;
import io.k4j.scheduler.plugins.BasicFixtures;
import io.k4j.scheduler.testing.FakeHandle;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeNameTest {

    private final NodeName plugin = new NodeName(PluginArgs.NONE, new FakeHandle());

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("no node name", null, "n1", Code.SKIP, null, Code.SUCCESS),
                Arguments.of("matching node name", "n1", "n1", Code.SUCCESS, Set.of("n1"), Code.SUCCESS),
                Arguments.of("other node name", "n2", "n1", Code.SUCCESS, Set.of("n2"), Code.UNSCHEDULABLE_AND_UNRESOLVABLE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void preFilterAndFilter(String name, String podNode, String node, Code preFilterCode, Set<String> nodeNames,
            Code filterCode) {
        PodInfo pod = new PodInfo(BasicFixtures.pod("p").editSpec().withNodeName(podNode).endSpec().build());
        PreFilterPlugin.Result result = plugin.preFilter(new CycleState(), pod, new Snapshot());
        assertThat(result.status().code()).isEqualTo(preFilterCode);
        assertThat(result.nodeNames()).isEqualTo(nodeNames);
        Status status = plugin.filter(new CycleState(), pod, BasicFixtures.nodeInfo(BasicFixtures.node(node)));
        assertThat(status.code()).isEqualTo(filterCode);
        if (filterCode != Code.SUCCESS) {
            assertThat(status.message()).isEqualTo("node(s) didn't match the requested node name");
        }
    }

    static Stream<Arguments> hints() {
        return Stream.of(
                Arguments.of("the named node added", "n1", "n1", QueueingHint.QUEUE),
                Arguments.of("another node added", "n1", "n2", QueueingHint.SKIP),
                Arguments.of("pod names no node", null, "n2", QueueingHint.QUEUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hints")
    void hint(String name, String podNode, String added, QueueingHint expected) {
        PodInfo pod = new PodInfo(BasicFixtures.pod("p").editSpec().withNodeName(podNode).endSpec().build());
        assertThat(NodeName.isSchedulableAfterNodeAdd(pod, null, BasicFixtures.node(added))).isEqualTo(expected);
    }
}

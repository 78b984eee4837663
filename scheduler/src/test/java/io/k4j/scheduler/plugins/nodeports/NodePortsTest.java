package io.k4j.scheduler.plugins.nodeports;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Ports are written "protocol/ip/port" as in upstream's tests. */
class NodePortsTest {

    private final NodePorts plugin = new NodePorts(PluginArgs.NONE, new FakeHandle());

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("nothing running", List.of("UDP/127.0.0.1/8080"), List.of(), Code.SUCCESS),
                Arguments.of("other port", List.of("UDP/127.0.0.1/8080"), List.of("UDP/127.0.0.1/9090"), Code.SUCCESS),
                Arguments.of("same udp port", List.of("UDP/127.0.0.1/8080"), List.of("UDP/127.0.0.1/8080"), Code.UNSCHEDULABLE),
                Arguments.of("same tcp port", List.of("TCP/127.0.0.1/8080"), List.of("TCP/127.0.0.1/8080"), Code.UNSCHEDULABLE),
                Arguments.of("different host ip", List.of("TCP/127.0.0.1/8080"), List.of("TCP/127.0.0.2/8080"), Code.SUCCESS),
                Arguments.of("different protocol", List.of("UDP/127.0.0.1/8080"), List.of("TCP/127.0.0.1/8080"), Code.SUCCESS),
                Arguments.of("second port conflicts", List.of("TCP/127.0.0.1/8000", "UDP/127.0.0.1/8080"),
                        List.of("UDP/127.0.0.1/8080"), Code.UNSCHEDULABLE),
                Arguments.of("first port conflicts", List.of("TCP/127.0.0.1/8001", "UDP/127.0.0.1/8080"),
                        List.of("TCP/127.0.0.1/8001", "UDP/127.0.0.1/8081"), Code.UNSCHEDULABLE),
                Arguments.of("existing 0.0.0.0 conflicts with any ip", List.of("TCP/10.0.10.10/8001"),
                        List.of("TCP/0.0.0.0/8001"), Code.UNSCHEDULABLE),
                Arguments.of("wanted 0.0.0.0 conflicts with any ip", List.of("TCP/0.0.0.0/8001"),
                        List.of("TCP/127.0.0.1/8001"), Code.UNSCHEDULABLE),
                Arguments.of("0.0.0.0 on another protocol", List.of("TCP/0.0.0.0/8001"),
                        List.of("UDP/127.0.0.1/8001"), Code.SUCCESS),
                Arguments.of("empty ip means 0.0.0.0", List.of("TCP//8001"), List.of("TCP/127.0.0.1/8001"), Code.UNSCHEDULABLE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void filter(String name, List<String> wanted, List<String> existing, Code expected) {
        PodInfo pod = new PodInfo(podWithPorts("p", wanted));
        CycleState state = new CycleState();
        PreFilterPlugin.Result result = plugin.preFilter(state, pod, new Snapshot());
        assertThat(result.status().isSuccess()).isTrue();
        Status status = plugin.filter(state, pod, BasicFixtures.nodeInfo(BasicFixtures.node("n"), podWithPorts("e", existing)));
        assertThat(status.code()).isEqualTo(expected);
        if (expected != Code.SUCCESS) {
            assertThat(status.reasons()).containsExactly("node(s) didn't have free ports for the requested pod ports");
        }
    }

    static Stream<Arguments> preFilterCases() {
        return Stream.of(
                Arguments.of("no host ports: skip", List.of(), Code.SKIP),
                Arguments.of("host ports: success", List.of("TCP//80"), Code.SUCCESS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("preFilterCases")
    void preFilter(String name, List<String> ports, Code expected) {
        assertThat(plugin.preFilter(new CycleState(), new PodInfo(podWithPorts("p", ports)), new Snapshot()).status().code())
                .isEqualTo(expected);
    }

    static Stream<Arguments> hints() {
        return Stream.of(
                Arguments.of("bound pod with the same port deleted", "n1", List.of("TCP//80"), QueueingHint.QUEUE),
                Arguments.of("bound pod with another port deleted", "n1", List.of("TCP//81"), QueueingHint.SKIP),
                Arguments.of("bound pod without ports deleted", "n1", List.of(), QueueingHint.SKIP),
                Arguments.of("unbound pod deleted", null, List.of("TCP//80"), QueueingHint.SKIP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hints")
    void hint(String name, String nodeName, List<String> deletedPorts, QueueingHint expected) {
        PodInfo pod = new PodInfo(podWithPorts("p", List.of("TCP//80")));
        Pod deleted = podWithPorts("d", deletedPorts);
        deleted.getSpec().setNodeName(nodeName);
        assertThat(NodePorts.isSchedulableAfterPodDeleted(pod, deleted, null)).isEqualTo(expected);
    }

    static Pod podWithPorts(String name, List<String> ports) {
        List<ContainerPort> list = new ArrayList<>();
        for (String port : ports) {
            String[] parts = port.split("/", -1);
            ContainerPort p = new ContainerPort();
            p.setProtocol(parts[0]);
            p.setHostIP(parts[1]);
            p.setHostPort(Integer.parseInt(parts[2]));
            p.setContainerPort(Integer.parseInt(parts[2]));
            list.add(p);
        }
        return BasicFixtures.pod(name).editSpec()
                .withContainers(new ContainerBuilder().withName("c").withImage("img").withPorts(list).build()).endSpec().build();
    }
}

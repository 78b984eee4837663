package io.k4j.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeConditionsTest {

    static final long MI = 1024 * 1024;
    static final NodeSignals CALM = new NodeSignals(4096 * MI, 50L << 30, 100L << 30, 100_000, 300);
    static final Instant T0 = Instant.parse("2026-11-27T01:00:00Z");

    private final NodeConditions conditions = new NodeConditions(EvictionThresholds.DEFAULTS,
            NodeConditions.PRESSURE_TRANSITION_PERIOD);

    @Test
    void aHealthyNodeHasUpstreamsFourConditionsInOrder() {
        List<NodeCondition> computed = conditions.compute(CALM, List.of(), List.of(), T0);

        assertThat(computed).extracting(NodeCondition::getType, NodeCondition::getStatus, NodeCondition::getReason,
                NodeCondition::getMessage).containsExactly(
                org.assertj.core.groups.Tuple.tuple("MemoryPressure", "False", "KubeletHasSufficientMemory",
                        "kubelet has sufficient memory available"),
                org.assertj.core.groups.Tuple.tuple("DiskPressure", "False", "KubeletHasNoDiskPressure",
                        "kubelet has no disk pressure"),
                org.assertj.core.groups.Tuple.tuple("PIDPressure", "False", "KubeletHasSufficientPID",
                        "kubelet has sufficient PID available"),
                org.assertj.core.groups.Tuple.tuple("Ready", "True", "KubeletReady", "kubelet is posting ready status"));
        assertThat(computed).allSatisfy(condition -> {
            assertThat(condition.getLastHeartbeatTime()).isEqualTo("2026-11-27T01:00:00Z");
            assertThat(condition.getLastTransitionTime()).isEqualTo("2026-11-27T01:00:00Z");
        });
    }

    @Test
    void notReadyCarriesTheRuntimesProblems() {
        NodeCondition ready = ready(conditions.compute(CALM, List.of(NodeAgent.NETWORK_NOT_READY), List.of(), T0));

        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("KubeletNotReady");
        assertThat(ready.getMessage()).isEqualTo("container runtime network not ready: NetworkReady=false "
                + "reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized");
        assertThat(NodeConditions.aggregate(List.of("a", "b"))).isEqualTo("[a, b]");
    }

    @Test
    void transitionTimeMovesOnlyWhenTheStatusFlips() {
        List<NodeCondition> first = conditions.compute(CALM, List.of("runtime down"), List.of(), T0);
        List<NodeCondition> same = conditions.compute(CALM, List.of("runtime down"), first, T0.plusSeconds(10));
        List<NodeCondition> flipped = conditions.compute(CALM, List.of(), same, T0.plusSeconds(20));

        assertThat(ready(same).getLastTransitionTime()).isEqualTo("2026-11-27T01:00:00Z");
        assertThat(ready(same).getLastHeartbeatTime()).isEqualTo("2026-11-27T01:00:10Z");
        assertThat(ready(flipped).getStatus()).isEqualTo("True");
        assertThat(ready(flipped).getLastTransitionTime()).isEqualTo("2026-11-27T01:00:20Z");
        assertThat(flipped.get(0).getLastTransitionTime()).as("MemoryPressure did not flip")
                .isEqualTo("2026-11-27T01:00:00Z");
    }

    @Test
    void pressureHoldsForTheTransitionPeriodAfterTheSignalRecovers() {
        NodeSignals lowMemory = new NodeSignals(99 * MI, 50L << 30, 100L << 30, 100_000, 300);

        List<NodeCondition> under = conditions.compute(lowMemory, List.of(), List.of(), T0);
        List<NodeCondition> recovered = conditions.compute(CALM, List.of(), under, T0.plus(Duration.ofMinutes(4)));
        List<NodeCondition> released = conditions.compute(CALM, List.of(), recovered, T0.plus(Duration.ofMinutes(5)));

        assertThat(under.get(0).getStatus()).isEqualTo("True");
        assertThat(under.get(0).getReason()).isEqualTo("KubeletHasInsufficientMemory");
        assertThat(under.get(0).getMessage()).isEqualTo("kubelet has insufficient memory available");
        assertThat(recovered.get(0).getStatus()).isEqualTo("True");
        assertThat(released.get(0).getStatus()).isEqualTo("False");
        assertThat(released.get(0).getLastTransitionTime()).isEqualTo("2026-11-27T01:05:00Z");
    }

    @Test
    void diskAndPidPressureFollowTheirThresholds() {
        NodeSignals fullDisk = new NodeSignals(4096 * MI, (10L << 30) - 1, 100L << 30, 100_000, 96_000);

        List<NodeCondition> computed = conditions.compute(fullDisk, List.of(), List.of(), T0);

        assertThat(computed.get(1)).extracting(NodeCondition::getStatus, NodeCondition::getReason,
                NodeCondition::getMessage).containsExactly("True", "KubeletHasDiskPressure", "kubelet has disk pressure");
        assertThat(computed.get(2)).extracting(NodeCondition::getStatus, NodeCondition::getReason,
                NodeCondition::getMessage).containsExactly("True", "KubeletHasInsufficientPID",
                "kubelet has insufficient PID available");
        NodeSignals exactlyAtThreshold = new NodeSignals(100 * MI, 10L << 30, 100L << 30, 100_000, 95_000);
        assertThat(new NodeConditions(EvictionThresholds.DEFAULTS, Duration.ZERO)
                .compute(exactlyAtThreshold, List.of(), List.of(), T0))
                .extracting(NodeCondition::getStatus).containsExactly("False", "False", "False", "True");
    }

    static NodeCondition ready(List<NodeCondition> conditions) {
        return conditions.stream().filter(condition -> condition.getType().equals("Ready")).findFirst().orElseThrow();
    }
}

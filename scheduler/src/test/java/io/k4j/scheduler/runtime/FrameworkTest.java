package io.k4j.scheduler.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k4j.scheduler.config.ExtensionPoint;
import io.k4j.scheduler.config.Profile;
import io.k4j.scheduler.config.SchedulerConfiguration;
import io.k4j.scheduler.plugins.InTreePlugins;
import io.k4j.scheduler.testing.FakeHandle;
import org.junit.jupiter.api.Test;

class FrameworkTest {

    private static Framework build(Profile profile) {
        return Framework.build(profile, InTreePlugins.registry(), runner -> new FakeHandle());
    }

    @Test
    void theDefaultProfileHasUpstreamsPluginsInOrderWithUpstreamsWeights() {
        Framework framework = build(Profile.defaults());
        assertThat(framework.pluginNames(ExtensionPoint.QUEUE_SORT)).containsExactly("PrioritySort");
        assertThat(framework.pluginNames(ExtensionPoint.PRE_ENQUEUE)).containsExactly("SchedulingGates");
        assertThat(framework.pluginNames(ExtensionPoint.FILTER)).containsExactly("NodeUnschedulable", "NodeName",
                "TaintToleration", "NodeAffinity", "NodePorts", "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity");
        assertThat(framework.pluginNames(ExtensionPoint.POST_FILTER)).containsExactly("DefaultPreemption");
        assertThat(framework.pluginNames(ExtensionPoint.SCORE)).containsExactly("TaintToleration", "NodeAffinity",
                "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity", "NodeResourcesBalancedAllocation", "ImageLocality");
        assertThat(framework.pluginNames(ExtensionPoint.BIND)).containsExactly("DefaultBinder");
        assertThat(framework.weight("TaintToleration")).isEqualTo(3);
        assertThat(framework.weight("NodeAffinity")).isEqualTo(2);
        assertThat(framework.weight("PodTopologySpread")).isEqualTo(2);
        assertThat(framework.weight("InterPodAffinity")).isEqualTo(2);
        assertThat(framework.weight("NodeResourcesFit")).isEqualTo(1);
        assertThat(framework.weight("ImageLocality")).isEqualTo(1);
    }

    @Test
    void aProfileDisablesEnablesAndReweighsPerPoint() {
        Profile profile = SchedulerConfiguration.parse("""
                profiles:
                - schedulerName: packer
                  plugins:
                    multiPoint:
                      disabled: [{name: ImageLocality}]
                    filter:
                      disabled: [{name: NodePorts}]
                    score:
                      disabled: [{name: "*"}]
                      enabled: [{name: NodeResourcesFit, weight: 5}]
                    postFilter:
                      disabled: [{name: DefaultPreemption}]
                  pluginConfig:
                  - name: NodeResourcesFit
                    args: {scoringStrategy: {type: MostAllocated}}
                """).profile("packer");
        Framework framework = build(profile);
        assertThat(framework.pluginNames(ExtensionPoint.FILTER)).doesNotContain("NodePorts").contains("NodeResourcesFit");
        assertThat(framework.pluginNames(ExtensionPoint.SCORE)).containsExactly("NodeResourcesFit");
        assertThat(framework.weight("NodeResourcesFit")).isEqualTo(5);
        assertThat(framework.hasPostFilter()).isFalse();
        assertThat(framework.pluginNames(ExtensionPoint.PRE_SCORE)).doesNotContain("ImageLocality");
    }

    @Test
    void unknownPluginsAndMisplacedOnesAreRefused() {
        assertThatThrownBy(() -> build(SchedulerConfiguration.parse("""
                profiles:
                - plugins:
                    filter:
                      enabled: [{name: NoSuchPlugin}]
                """).profiles().getFirst())).hasMessage("profile default-scheduler: unknown plugin \"NoSuchPlugin\"");
        assertThatThrownBy(() -> build(SchedulerConfiguration.parse("""
                profiles:
                - plugins:
                    filter:
                      enabled: [{name: PrioritySort}]
                """).profiles().getFirst())).hasMessageContaining("PrioritySort does not implement the filter extension point");
        assertThatThrownBy(() -> build(SchedulerConfiguration.parse("""
                profiles:
                - plugins:
                    bind:
                      disabled: [{name: "*"}]
                """).profiles().getFirst())).hasMessageContaining("at least one bind plugin");
    }
}

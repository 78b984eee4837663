package io.k4j.scheduler.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SchedulerConfigurationTest {

    @Test
    void readsProfilesPluginSetsArgsAndPercentages() {
        SchedulerConfiguration configuration = SchedulerConfiguration.parse("""
                apiVersion: kubescheduler.config.k8s.io/v1
                kind: KubeSchedulerConfiguration
                percentageOfNodesToScore: 30
                profiles:
                - schedulerName: default-scheduler
                - schedulerName: bin-packer
                  percentageOfNodesToScore: 100
                  plugins:
                    score:
                      disabled:
                      - name: NodeResourcesBalancedAllocation
                      enabled:
                      - name: NodeResourcesFit
                        weight: 5
                  pluginConfig:
                  - name: NodeResourcesFit
                    args:
                      scoringStrategy:
                        type: MostAllocated
                """);
        assertThat(configuration.percentageOfNodesToScore()).isEqualTo(30);
        assertThat(configuration.profiles()).extracting(Profile::schedulerName).containsExactly("default-scheduler", "bin-packer");
        Profile packer = configuration.profile("bin-packer");
        assertThat(packer.percentageOfNodesToScore()).isEqualTo(100);
        assertThat(packer.point(ExtensionPoint.SCORE).disabled()).containsExactly("NodeResourcesBalancedAllocation");
        assertThat(packer.point(ExtensionPoint.SCORE).enabled()).containsExactly(new PluginSet.Entry("NodeResourcesFit", 5));
        assertThat(packer.args("NodeResourcesFit").as("scoringStrategy", java.util.Map.class)).containsEntry("type", "MostAllocated");
        assertThat(configuration.profile("default-scheduler").percentageOfNodesToScore()).isNull();
        assertThat(configuration.profile("other")).isNull();
    }

    @Test
    void noProfilesMeansTheDefaultOne() {
        SchedulerConfiguration configuration = SchedulerConfiguration.parse("kind: KubeSchedulerConfiguration\n");
        assertThat(configuration.profiles()).containsExactly(Profile.defaults());
    }

    @Test
    void badConfigurationsSayWhatIsWrong() {
        assertThatThrownBy(() -> SchedulerConfiguration.parse("apiVersion: kubescheduler.config.k8s.io/v1beta3\n"))
                .hasMessageContaining("apiVersion must be kubescheduler.config.k8s.io/v1");
        assertThatThrownBy(() -> SchedulerConfiguration.parse("""
                profiles:
                - schedulerName: a
                - schedulerName: a
                """)).hasMessageContaining("duplicate value \"a\"");
        assertThatThrownBy(() -> SchedulerConfiguration.parse("""
                profiles:
                - plugins:
                    filters: {}
                """)).hasMessage("profiles[0].plugins.filters: unknown extension point");
        assertThatThrownBy(() -> SchedulerConfiguration.parse("percentageOfNodesToScore: 101\n"))
                .hasMessageContaining("between 0 and 100");
    }
}

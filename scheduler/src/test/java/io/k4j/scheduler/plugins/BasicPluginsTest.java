package io.k4j.scheduler.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.scheduler.framework.EnqueueExtensions;
import io.k4j.scheduler.framework.FilterPlugin;
import io.k4j.scheduler.framework.Plugin;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PluginFactory;
import io.k4j.scheduler.framework.PreEnqueuePlugin;
import io.k4j.scheduler.framework.PreFilterPlugin;
import io.k4j.scheduler.framework.QueueSortPlugin;
import io.k4j.scheduler.framework.ScorePlugin;
import io.k4j.scheduler.testing.FakeHandle;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BasicPluginsTest {

    static Stream<Arguments> plugins() {
        return Stream.of(
                Arguments.of("PrioritySort", QueueSortPlugin.class),
                Arguments.of("SchedulingGates", PreEnqueuePlugin.class),
                Arguments.of("NodeUnschedulable", FilterPlugin.class),
                Arguments.of("NodeName", PreFilterPlugin.class),
                Arguments.of("TaintToleration", ScorePlugin.class),
                Arguments.of("NodeAffinity", PreFilterPlugin.class),
                Arguments.of("NodePorts", FilterPlugin.class),
                Arguments.of("NodeResourcesFit", ScorePlugin.class),
                Arguments.of("NodeResourcesBalancedAllocation", ScorePlugin.class),
                Arguments.of("ImageLocality", ScorePlugin.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plugins")
    void registersEachPluginByName(String name, Class<?> extensionPoint) {
        Map<String, PluginFactory> registry = new HashMap<>();
        BasicPlugins.register(registry);
        Plugin plugin = registry.get(name).create(PluginArgs.NONE, new FakeHandle());
        assertThat(plugin.name()).isEqualTo(name);
        assertThat(plugin).isInstanceOf(extensionPoint);
        if (plugin instanceof FilterPlugin || plugin instanceof PreEnqueuePlugin) {
            assertThat(plugin).isInstanceOf(EnqueueExtensions.class);
            assertThat(((EnqueueExtensions) plugin).eventsToRegister()).isNotEmpty();
        }
    }

    @Test
    void registersTenPlugins() {
        Map<String, PluginFactory> registry = new HashMap<>();
        BasicPlugins.register(registry);
        assertThat(registry).hasSize(10);
    }
}

package io.k4j.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeShapeTest {

    @Test
    void theDefaultCapacityIsEightCoresThirtyTwoGibAndOneHundredTenPods() {
        assertThat(NodeShape.defaults().capacity()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cpu", new Quantity("8"), "memory", new Quantity("32Gi"), "pods", new Quantity("110")));
    }

    @Test
    void capacityTakesAnyResourceAndRejectsWhatIsNoQuantity() {
        assertThat(NodeShape.parseCapacity("cpu=500m, nvidia.com/gpu=2")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cpu", new Quantity("500m"), "nvidia.com/gpu", new Quantity("2")));
        assertThatThrownBy(() -> NodeShape.parseCapacity("cpu=lots")).hasMessageContaining("not a quantity");
        assertThatThrownBy(() -> NodeShape.parseCapacity("cpu")).hasMessageContaining("not key=value");
    }

    @Test
    void labelsAndTaintsUseTheKubectlSyntax() {
        assertThat(NodeShape.parseLabels("tier=gold,team=a")).containsExactly(
                Map.entry("tier", "gold"), Map.entry("team", "a"));
        assertThat(NodeShape.parseLabels(null)).isEmpty();
        assertThat(NodeShape.parseTaints("dedicated=sim:NoSchedule,spot:PreferNoSchedule")).containsExactly(
                new TaintBuilder().withKey("dedicated").withValue("sim").withEffect("NoSchedule").build(),
                new TaintBuilder().withKey("spot").withEffect("PreferNoSchedule").build());
        assertThatThrownBy(() -> NodeShape.parseTaints("a=b:Sometimes")).hasMessageContaining("effect");
        assertThatThrownBy(() -> NodeShape.parseTaints("a=b")).hasMessageContaining("key=value:Effect");
    }

    @Test
    void goDurationsParseLikeGo() {
        assertThat(GoDurations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(GoDurations.parse("3s")).isEqualTo(Duration.ofSeconds(3));
        assertThat(GoDurations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(GoDurations.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDurations.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(GoDurations.parse("10us")).isEqualTo(Duration.ofNanos(10_000));
        assertThatThrownBy(() -> GoDurations.parse("3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoDurations.parse("3 s")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoDurations.parse("")).isInstanceOf(IllegalArgumentException.class);
    }
}

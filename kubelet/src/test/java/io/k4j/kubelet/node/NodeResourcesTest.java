package io.k4j.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeResourcesTest {

    static final MachineInfo MACHINE = new MachineInfo("node-1", 2, 24578596L * 1024, "linux", "amd64", "Debian",
            "6.1", "m", "", "b");
    static final NodeSignals SIGNALS = new NodeSignals(20_000_000L * 1024, 50L << 30, 100L << 30, 4194304, 300);

    @Test
    void capacityIsTheMachine() {
        assertThat(strings(NodeResources.capacity(MACHINE, SIGNALS))).containsExactly(
                Map.entry("cpu", "2"), Map.entry("ephemeral-storage", "100Gi"), Map.entry("hugepages-1Gi", "0"),
                Map.entry("hugepages-2Mi", "0"), Map.entry("memory", "24578596Ki"), Map.entry("pods", "110"));
    }

    @Test
    void allocatableIsCapacityLessTheHardEvictionThresholds() {
        Map<String, String> allocatable = strings(NodeResources.allocatable(MACHINE, SIGNALS, EvictionThresholds.DEFAULTS));

        assertThat(allocatable).containsEntry("memory", (24578596L - 100 * 1024) + "Ki")
                .containsEntry("ephemeral-storage", "90Gi")
                .containsEntry("cpu", "2").containsEntry("pods", "110");
        NodeSignals disk = new NodeSignals(0, 0, 102687672L * 1024, 0, 0);
        assertThat(NodeResources.allocatable(MACHINE, disk, EvictionThresholds.DEFAULTS).get("ephemeral-storage")
                .toString()).isEqualTo(Long.toString(102687672L * 1024 - 10515217612L));
    }

    @Test
    void quantitiesTakeTheLargestWholeBinarySuffix() {
        assertThat(Quantities.binary(0)).isEqualTo("0");
        assertThat(Quantities.binary(1000)).isEqualTo("1000");
        assertThat(Quantities.binary(2048)).isEqualTo("2Ki");
        assertThat(Quantities.binary(3L << 30)).isEqualTo("3Gi");
        assertThat(Quantities.binary(1025L * 1024)).isEqualTo("1025Ki");
    }

    private static Map<String, String> strings(Map<String, Quantity> quantities) {
        Map<String, String> strings = new LinkedHashMap<>();
        quantities.forEach((name, quantity) -> strings.put(name, quantity.toString()));
        return strings;
    }
}

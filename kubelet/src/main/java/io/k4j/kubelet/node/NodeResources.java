package io.k4j.kubelet.node;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Capacity and allocatable, as upstream computes them: capacity from the machine (cpu, memory, the data dir's
 * filesystem as ephemeral-storage, no huge pages configured, 110 pods); allocatable is capacity less the reserved
 * resources (none) and the hard eviction thresholds (memory.available, nodefs.available).
 */
public final class NodeResources {

    public static final int MAX_PODS = 110;

    private NodeResources() {
    }

    public static Map<String, Quantity> capacity(MachineInfo machine, NodeSignals signals) {
        Map<String, Quantity> capacity = new LinkedHashMap<>();
        capacity.put("cpu", new Quantity(Integer.toString(machine.cpus())));
        capacity.put("ephemeral-storage", Quantities.bytes(signals.nodefsCapacityBytes()));
        capacity.put("hugepages-1Gi", new Quantity("0"));
        capacity.put("hugepages-2Mi", new Quantity("0"));
        capacity.put("memory", Quantities.bytes(machine.memoryBytes()));
        capacity.put("pods", new Quantity(Integer.toString(MAX_PODS)));
        return capacity;
    }

    public static Map<String, Quantity> allocatable(MachineInfo machine, NodeSignals signals,
            EvictionThresholds thresholds) {
        Map<String, Quantity> allocatable = capacity(machine, signals);
        long storage = signals.nodefsCapacityBytes() - thresholds.nodefsThresholdBytes(signals.nodefsCapacityBytes());
        allocatable.put("ephemeral-storage", Quantities.bytes(Math.max(0, storage)));
        allocatable.put("memory", Quantities.bytes(Math.max(0, machine.memoryBytes() - thresholds.memoryAvailableBytes())));
        return allocatable;
    }
}

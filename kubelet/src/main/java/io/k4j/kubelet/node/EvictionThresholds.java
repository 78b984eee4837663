package io.k4j.kubelet.node;

/**
 * The hard eviction thresholds the pressure conditions and allocatable follow. The defaults are upstream's
 * (memory.available&lt;100Mi, nodefs.available&lt;10%); upstream sets no default for pid.available, ours is 5% of the
 * PID limit so that PIDPressure can be reported at all.
 */
public record EvictionThresholds(long memoryAvailableBytes, double nodefsAvailableFraction,
        double pidAvailableFraction) {

    public static final EvictionThresholds DEFAULTS = new EvictionThresholds(100L * 1024 * 1024, 0.10, 0.05);

    boolean memoryPressure(NodeSignals signals) {
        return signals.memoryAvailableBytes() < memoryAvailableBytes;
    }

    boolean diskPressure(NodeSignals signals) {
        return signals.nodefsAvailableBytes() < nodefsThresholdBytes(signals.nodefsCapacityBytes());
    }

    boolean pidPressure(NodeSignals signals) {
        return signals.pidAvailable() < (long) (signals.pidLimit() * pidAvailableFraction);
    }

    /** The nodefs threshold in bytes (upstream: the percentage of capacity, rounded down). */
    long nodefsThresholdBytes(long capacityBytes) {
        return (long) (capacityBytes * nodefsAvailableFraction);
    }
}

package io.k4j.kubelet.volume;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The size of a memory-backed volume, as upstream sizes it (SizeMemoryBackedVolumes): the node's allocatable
 * memory, or less: the pod's memory limit when every container has one, or less still the volume's sizeLimit.
 */
final class MemorySizes {

    private MemorySizes() {
    }

    /** The tmpfs size in bytes; 0 when nothing bounds it (the kernel's default then applies). */
    static long tmpfsSize(Pod pod, Quantity sizeLimit, Map<String, Quantity> allocatable) {
        BigDecimal size = bytes(allocatable.get("memory"));
        BigDecimal podLimit = podMemoryLimit(pod);
        if (podLimit.signum() > 0 && (size.signum() == 0 || podLimit.compareTo(size) <= 0)) {
            size = podLimit;
        }
        BigDecimal volumeLimit = bytes(sizeLimit);
        if (volumeLimit.signum() > 0 && (size.signum() == 0 || volumeLimit.compareTo(size) <= 0)) {
            size = volumeLimit;
        }
        return size.longValue();
    }

    /** The sum of the containers' memory limits (at least the largest init container's), 0 if one has none. */
    private static BigDecimal podMemoryLimit(Pod pod) {
        BigDecimal sum = BigDecimal.ZERO;
        for (Container container : pod.getSpec().getContainers()) {
            BigDecimal limit = limit(container);
            if (limit.signum() == 0) {
                return BigDecimal.ZERO;
            }
            sum = sum.add(limit);
        }
        List<Container> init = pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
        for (Container container : init) {
            BigDecimal limit = limit(container);
            if (limit.signum() == 0) {
                return BigDecimal.ZERO;
            }
            sum = sum.max(limit);
        }
        return sum;
    }

    private static BigDecimal limit(Container container) {
        return container.getResources() == null || container.getResources().getLimits() == null ? BigDecimal.ZERO
                : bytes(container.getResources().getLimits().get("memory"));
    }

    private static BigDecimal bytes(Quantity quantity) {
        return quantity == null || quantity.getAmount() == null || quantity.getAmount().isEmpty() ? BigDecimal.ZERO
                : quantity.getNumericalAmount();
    }
}

package io.k4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An amount of node resources: CPU in millicores, memory and ephemeral storage in bytes, a pod count, and scalar
 * (extended) resources such as {@code example.com/gpu} or {@code hugepages-2Mi} by name. Mutable: the cache adds
 * and subtracts pods; snapshots hold copies.
 */
public final class Resources {

    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
    public static final String PODS = "pods";

    /** What the scorers count for a container that requests no CPU (upstream's DefaultMilliCPURequest). */
    public static final long DEFAULT_MILLI_CPU_REQUEST = 100;
    /** What the scorers count for a container that requests no memory (upstream's DefaultMemoryRequest). */
    public static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;

    public long milliCpu;
    public long memory;
    public long ephemeralStorage;
    public long pods;
    private Map<String, Long> scalar = Map.of();

    public Resources() {
    }

    public Resources(long milliCpu, long memory) {
        this.milliCpu = milliCpu;
        this.memory = memory;
    }

    /** Reads a resource list (requests, limits, capacity, allocatable); unknown names become scalar resources. */
    public static Resources of(Map<String, Quantity> list) {
        Resources resources = new Resources();
        if (list != null) {
            list.forEach(resources::set);
        }
        return resources;
    }

    /** Sets one resource from a quantity string or object. */
    public Resources set(String name, Quantity quantity) {
        BigDecimal amount = Quantity.getAmountInBytes(quantity);
        switch (name) {
            case CPU -> milliCpu = amount.movePointRight(3).setScale(0, java.math.RoundingMode.CEILING).longValue();
            case MEMORY -> memory = amount.setScale(0, java.math.RoundingMode.CEILING).longValue();
            case EPHEMERAL_STORAGE -> ephemeralStorage = amount.setScale(0, java.math.RoundingMode.CEILING).longValue();
            case PODS -> pods = amount.longValue();
            default -> setScalar(name, amount.setScale(0, java.math.RoundingMode.CEILING).longValue());
        }
        return this;
    }

    public long scalar(String name) {
        return scalar.getOrDefault(name, 0L);
    }

    public Map<String, Long> scalars() {
        return scalar;
    }

    public void setScalar(String name, long value) {
        if (scalar.isEmpty()) {
            scalar = new HashMap<>(4);
        }
        scalar.put(name, value);
    }

    /** The amount of a resource by its API name. */
    public long get(String name) {
        return switch (name) {
            case CPU -> milliCpu;
            case MEMORY -> memory;
            case EPHEMERAL_STORAGE -> ephemeralStorage;
            case PODS -> pods;
            default -> scalar(name);
        };
    }

    public Resources add(Resources other) {
        milliCpu += other.milliCpu;
        memory += other.memory;
        ephemeralStorage += other.ephemeralStorage;
        pods += other.pods;
        other.scalar.forEach((name, value) -> setScalar(name, scalar(name) + value));
        return this;
    }

    public Resources subtract(Resources other) {
        milliCpu -= other.milliCpu;
        memory -= other.memory;
        ephemeralStorage -= other.ephemeralStorage;
        pods -= other.pods;
        other.scalar.forEach((name, value) -> setScalar(name, scalar(name) - value));
        return this;
    }

    /** Each resource raised to at least the other's amount. */
    public Resources max(Resources other) {
        milliCpu = Math.max(milliCpu, other.milliCpu);
        memory = Math.max(memory, other.memory);
        ephemeralStorage = Math.max(ephemeralStorage, other.ephemeralStorage);
        pods = Math.max(pods, other.pods);
        other.scalar.forEach((name, value) -> setScalar(name, Math.max(scalar(name), value)));
        return this;
    }

    public Resources copy() {
        Resources copy = new Resources(milliCpu, memory);
        copy.ephemeralStorage = ephemeralStorage;
        copy.pods = pods;
        if (!scalar.isEmpty()) {
            copy.scalar = new HashMap<>(scalar);
        }
        return copy;
    }

    /**
     * What a pod asks of its node, as upstream computes it: the containers' requests summed (with restartable init
     * containers, "sidecars", running beside them), or the largest init container plus the sidecars started before
     * it if that is more, plus the pod overhead.
     *
     * @param nonZero count a container without a CPU or memory request as the scorers' defaults
     */
    public static Resources podRequests(Pod pod, boolean nonZero) {
        Resources sum = new Resources();
        for (Container container : pod.getSpec().getContainers()) {
            sum.add(containerRequests(container, nonZero));
        }
        Resources sidecars = new Resources();
        Resources initMax = new Resources();
        List<Container> inits = pod.getSpec().getInitContainers();
        if (inits != null) {
            for (Container init : inits) {
                Resources requests = containerRequests(init, nonZero);
                if ("Always".equals(init.getRestartPolicy())) {
                    sidecars.add(requests);
                    initMax.max(sidecars);
                } else {
                    initMax.max(requests.copy().add(sidecars));
                }
            }
        }
        sum.add(sidecars).max(initMax);
        if (pod.getSpec().getOverhead() != null) {
            sum.add(of(pod.getSpec().getOverhead()));
        }
        return sum;
    }

    private static Resources containerRequests(Container container, boolean nonZero) {
        Map<String, Quantity> requests = container.getResources() == null ? null : container.getResources().getRequests();
        Map<String, Quantity> limits = container.getResources() == null ? null : container.getResources().getLimits();
        Resources resources = new Resources();
        if (limits != null) {
            limits.forEach(resources::set); // a limit without a request defaults the request, as the API server does
        }
        if (requests != null) {
            requests.forEach(resources::set);
        }
        if (nonZero) {
            if (requests == null || !requests.containsKey(CPU)) {
                resources.milliCpu = DEFAULT_MILLI_CPU_REQUEST;
            }
            if (requests == null || !requests.containsKey(MEMORY)) {
                resources.memory = DEFAULT_MEMORY_REQUEST;
            }
        }
        return resources;
    }

    @Override
    public String toString() {
        return "cpu=" + milliCpu + "m memory=" + memory + " ephemeral-storage=" + ephemeralStorage + " pods=" + pods
                + (scalar.isEmpty() ? "" : " " + scalar);
    }
}

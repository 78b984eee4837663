package io.k4j.kubelet.container;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Upstream's resourceFieldRef values: limits or requests of cpu, memory or ephemeral-storage divided by the divisor
 * (default 1) and rounded up; a limit the container does not set is the node's allocatable amount.
 */
public final class ResourceFields {

    private static final List<String> DEFAULTED_LIMITS = List.of("cpu", "memory", "ephemeral-storage");

    private ResourceFields() {
    }

    /** The value for one container, {@code allocatable} standing in for its unset limits. */
    public static String value(ResourceFieldSelector selector, Container container, Map<String, Quantity> allocatable)
            throws ContainerConfigException {
        String resource = selector.getResource() == null ? "" : selector.getResource();
        int dot = resource.indexOf('.');
        String kind = dot < 0 ? "" : resource.substring(0, dot);
        String name = resource.substring(dot + 1);
        if (!(kind.equals("limits") || kind.equals("requests")) || !DEFAULTED_LIMITS.contains(name)) {
            throw new ContainerConfigException("unsupported container resource : " + resource);
        }
        Quantity quantity = kind.equals("limits") ? limit(container, name, allocatable) : request(container, name);
        BigDecimal divisor = amount(selector.getDivisor());
        if (divisor.signum() == 0) {
            divisor = BigDecimal.ONE;
        }
        BigDecimal amount = amount(quantity);
        BigDecimal result = name.equals("cpu")
                ? milliValue(amount).divide(milliValue(divisor), 0, RoundingMode.CEILING)
                : value(amount).divide(value(divisor), 0, RoundingMode.CEILING);
        return result.toBigInteger().toString();
    }

    /** The value for the named container of a pod (downward API volumes name the container). */
    public static String value(ResourceFieldSelector selector, Pod pod, Map<String, Quantity> allocatable)
            throws ContainerConfigException {
        String containerName = selector.getContainerName();
        Container container = Stream.concat(pod.getSpec().getContainers().stream(),
                        pod.getSpec().getInitContainers() == null ? Stream.empty() : pod.getSpec().getInitContainers().stream())
                .filter(c -> c.getName().equals(containerName)).findFirst()
                .orElseThrow(() -> new ContainerConfigException("container " + containerName + " not found"));
        return value(selector, container, allocatable);
    }

    private static Quantity limit(Container container, String name, Map<String, Quantity> allocatable) {
        Quantity set = container.getResources() == null || container.getResources().getLimits() == null ? null
                : container.getResources().getLimits().get(name);
        return set == null || amount(set).signum() == 0 ? allocatable.get(name) : set;
    }

    private static Quantity request(Container container, String name) {
        return container.getResources() == null || container.getResources().getRequests() == null ? null
                : container.getResources().getRequests().get(name);
    }

    private static BigDecimal amount(Quantity quantity) {
        return quantity == null || quantity.getAmount() == null || quantity.getAmount().isEmpty() ? BigDecimal.ZERO
                : quantity.getNumericalAmount();
    }

    /** Quantity.Value(): rounded up to a whole number. */
    private static BigDecimal value(BigDecimal amount) {
        return amount.setScale(0, RoundingMode.CEILING);
    }

    /** Quantity.MilliValue(): thousandths, rounded up. */
    private static BigDecimal milliValue(BigDecimal amount) {
        return amount.movePointRight(3).setScale(0, RoundingMode.CEILING);
    }
}

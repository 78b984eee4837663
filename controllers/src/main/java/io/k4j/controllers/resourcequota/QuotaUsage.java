package io.k4j.controllers.resourcequota;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What a namespace uses of the resources a quota names, by upstream's evaluators: pods that count (not finished,
 * not past their deletion grace period) and what their containers request and are limited to; services, and of
 * them load balancers and node ports; persistent volume claims and the storage they request; and object counts
 * (the legacy names such as {@code configmaps} and {@code count/<resource>[.<group>]}).
 */
final class QuotaUsage {

    /** Lists a namespace's objects of a {@code count/} resource name ("pods", "deployments.apps"), or null. */
    interface Objects {
        List<?> list(String countResource);

        List<Pod> pods();

        List<Service> services();

        List<PersistentVolumeClaim> claims();
    }

    private static final Map<String, String> LEGACY_COUNTS = Map.of(
            "configmaps", "configmaps", "secrets", "secrets", "replicationcontrollers", "replicationcontrollers",
            "resourcequotas", "resourcequotas");
    private static final Set<String> POD_SCOPES = Set.of("Terminating", "NotTerminating", "BestEffort", "NotBestEffort");

    private QuotaUsage() {
    }

    /** The usage of every resource of {@code spec.hard} that can be measured, in the quota's order. */
    static Map<String, String> of(ResourceQuotaSpec spec, Objects objects, Instant now) {
        List<String> scopes = spec.getScopes() == null ? List.of() : spec.getScopes();
        List<Pod> pods = objects.pods().stream().filter(pod -> counts(pod, now) && inScopes(pod, scopes)).toList();
        Map<String, String> used = new LinkedHashMap<>();
        for (String resource : spec.getHard().keySet()) {
            String value = usage(resource, pods, objects);
            if (value != null) {
                used.put(resource, value);
            }
        }
        return used;
    }

    private static String usage(String resource, List<Pod> pods, Objects objects) {
        switch (resource) {
            case "pods", "count/pods":
                return Integer.toString(pods.size());
            case "cpu", "memory", "ephemeral-storage":
                return podTotal(pods, "requests", resource);
            case "services", "count/services":
                return Integer.toString(objects.services().size());
            case "services.loadbalancers":
                return Long.toString(objects.services().stream().filter(s -> "LoadBalancer".equals(type(s))).count());
            case "services.nodeports":
                return Long.toString(objects.services().stream()
                        .filter(s -> "NodePort".equals(type(s)) || "LoadBalancer".equals(type(s)))
                        .mapToLong(s -> s.getSpec().getPorts() == null ? 0 : s.getSpec().getPorts().size()).sum());
            case "persistentvolumeclaims", "count/persistentvolumeclaims":
                return Integer.toString(objects.claims().size());
            case "requests.storage":
                QuantitySum storage = new QuantitySum();
                objects.claims().forEach(claim -> add(storage, claim.getSpec() == null || claim.getSpec().getResources()
                        == null ? null : claim.getSpec().getResources().getRequests(), "storage"));
                return storage.toString();
            default:
                break;
        }
        if (resource.startsWith("requests.") || resource.startsWith("limits.")) {
            int dot = resource.indexOf('.');
            return podTotal(pods, resource.substring(0, dot), resource.substring(dot + 1));
        }
        String counted = LEGACY_COUNTS.getOrDefault(resource,
                resource.startsWith("count/") ? resource.substring("count/".length()) : null);
        List<?> listed = counted == null ? null : objects.list(counted);
        return listed == null ? null : Integer.toString(listed.size());
    }

    /** Upstream's QuotaV1Pod: finished pods, and pods past their deletion grace period, use nothing. */
    static boolean counts(Pod pod, Instant now) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return false;
        }
        String deletion = pod.getMetadata().getDeletionTimestamp();
        Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
        return deletion == null || grace == null || !now.isAfter(Instant.parse(deletion).plusSeconds(grace));
    }

    private static boolean inScopes(Pod pod, List<String> scopes) {
        for (String scope : scopes) {
            if (!POD_SCOPES.contains(scope)) {
                continue;
            }
            Long deadline = pod.getSpec().getActiveDeadlineSeconds();
            boolean terminating = deadline != null && deadline >= 0;
            boolean bestEffort = bestEffort(pod);
            boolean matches = switch (scope) {
                case "Terminating" -> terminating;
                case "NotTerminating" -> !terminating;
                case "BestEffort" -> bestEffort;
                default -> !bestEffort;
            };
            if (!matches) {
                return false;
            }
        }
        return true;
    }

    private static boolean bestEffort(Pod pod) {
        return containers(pod).allMatch(c -> c.getResources() == null
                || empty(c.getResources().getRequests()) && empty(c.getResources().getLimits()));
    }

    private static boolean empty(Map<String, Quantity> map) {
        return map == null || map.isEmpty();
    }

    private static java.util.stream.Stream<Container> containers(Pod pod) {
        return java.util.stream.Stream.concat(pod.getSpec().getContainers().stream(),
                pod.getSpec().getInitContainers() == null ? java.util.stream.Stream.empty()
                        : pod.getSpec().getInitContainers().stream());
    }

    /** The pods' total of requests or limits of one resource: per pod, the larger of its containers' sum and its
     * largest init container, plus its overhead. */
    private static String podTotal(List<Pod> pods, String kind, String resource) {
        Function<ResourceRequirements, Map<String, Quantity>> pick = r -> r == null ? null
                : "limits".equals(kind) ? r.getLimits() : r.getRequests();
        QuantitySum total = new QuantitySum();
        for (Pod pod : pods) {
            QuantitySum containers = new QuantitySum();
            Map<String, Quantity> first = new HashMap<>();
            for (Container container : pod.getSpec().getContainers()) {
                Quantity quantity = quantity(pick.apply(container.getResources()), resource);
                if (quantity != null) {
                    containers.add(quantity);
                    first.putIfAbsent(resource, quantity);
                }
            }
            java.math.BigDecimal podAmount = containers.amount();
            if (pod.getSpec().getInitContainers() != null) {
                for (Container init : pod.getSpec().getInitContainers()) {
                    Quantity quantity = quantity(pick.apply(init.getResources()), resource);
                    if (quantity != null && Quantity.getAmountInBytes(quantity).compareTo(podAmount) > 0) {
                        podAmount = Quantity.getAmountInBytes(quantity);
                        first.putIfAbsent(resource, quantity);
                    }
                }
            }
            Quantity overhead = quantity(pod.getSpec().getOverhead(), resource);
            if (overhead != null && podAmount.signum() > 0) {
                podAmount = podAmount.add(Quantity.getAmountInBytes(overhead));
            }
            if (podAmount.signum() != 0) {
                total.add(podAmount, first.get(resource));
            }
        }
        return total.toString();
    }

    private static Quantity quantity(Map<String, Quantity> map, String resource) {
        return map == null ? null : map.get(resource);
    }

    private static void add(QuantitySum sum, Map<String, Quantity> map, String resource) {
        Quantity quantity = quantity(map, resource);
        if (quantity != null) {
            sum.add(quantity);
        }
    }

    private static String type(Service service) {
        return service.getSpec() == null ? null : service.getSpec().getType();
    }
}

package io.k4j.controllers.endpoints;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.api.Result;
import io.k4j.controllers.api.Watches;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps an Endpoints object (core/v1) for every Service with a selector: the selected pods' IPs, ready ones under
 * addresses and the others under notReadyAddresses (all under addresses with publishNotReadyAddresses), per set of
 * ports after resolving named target ports in each pod. Services without a selector are left alone; the Endpoints
 * of a deleted Service go.
 */
public final class EndpointsController implements Reconciler {

    public static final String NAME = "endpoints";
    static final String OVER_CAPACITY_ANNOTATION = "endpoints.kubernetes.io/over-capacity";

    private final ServiceIndex services = new ServiceIndex();
    private final TriggerTimes triggerTimes = new TriggerTimes();
    /** Services whose Endpoints this controller keeps. */
    private final Set<ObjectKey> managed = ConcurrentHashMap.newKeySet();

    @Override
    public void watch(Watches watches) {
        watches.primary(Service.class)
                .cached(Service.class, services)
                .mapped(Pod.class, services::servicesOf)
                .mapped(Endpoints.class, endpoints -> List.of(ObjectKey.of(endpoints)));
    }

    @Override
    public Result reconcile(ObjectKey key, Context context) {
        Service service = context.cache(Service.class).get(key).orElse(null);
        Optional<Endpoints> current = context.cache(Endpoints.class).get(key);
        if (service == null || ServicePods.selector(service) == null) {
            // Only Endpoints this controller kept go: others (made by hand before their Service) stay.
            if (managed.remove(key) && service == null && current.isPresent()) {
                deleteQuietly(context, key);
            }
            triggerTimes.forget(key);
            return Result.done();
        }
        managed.add(key);
        List<Pod> pods = ServicePods.selected(service, context.cache(Pod.class).list(key.namespace()));
        Subsets subsets = subsets(service, pods);
        List<EndpointSubset> wanted = ServicePods.asStored(new EndpointsBuilder().withSubsets(subsets.build()).build())
                .getSubsets();
        boolean overCapacity = subsets.total() > Subsets.MAX_ADDRESSES;
        Map<String, String> labels = labels(service);
        Instant triggerTime = triggerTimes.compute(service, pods);
        if (current.isPresent() && upToDate(current.get(), wanted, labels, overCapacity)) {
            return Result.done();
        }
        Endpoints endpoints = current.map(EndpointsBuilder::new).orElseGet(() -> new EndpointsBuilder()
                .withNewMetadata().withName(key.name()).withNamespace(key.namespace()).endMetadata())
                .editMetadata().withLabels(labels).withAnnotations(annotations(current, triggerTime, overCapacity))
                .endMetadata().withSubsets(wanted).build();
        write(context, service, endpoints, current.isPresent());
        return Result.done();
    }

    private static Subsets subsets(Service service, List<Pod> pods) {
        boolean publishNotReady = ServicePods.publishNotReady(service);
        List<ServicePort> servicePorts = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
        Subsets subsets = new Subsets();
        for (Pod pod : pods) {
            if (!ServicePods.shouldBeInEndpoints(pod, publishNotReady)) {
                continue;
            }
            EndpointAddress address = address(pod, service);
            boolean ready = publishNotReady || ServicePods.ready(pod);
            if (servicePorts.isEmpty()) {
                if (ServicePods.headless(service)) {
                    subsets.add(address, List.of(), ready);
                }
                continue;
            }
            for (ServicePort servicePort : servicePorts) {
                Optional<Integer> port = ServicePods.findPort(pod, servicePort);
                port.ifPresent(number -> subsets.add(address, List.of(new EndpointPortBuilder()
                        .withName(servicePort.getName()).withPort(number).withProtocol(servicePort.getProtocol())
                        .withAppProtocol(servicePort.getAppProtocol()).build()), ready));
            }
        }
        return subsets;
    }

    private static EndpointAddress address(Pod pod, Service service) {
        return new EndpointAddressBuilder().withIp(pod.getStatus().getPodIP())
                .withNodeName(pod.getSpec().getNodeName())
                .withHostname(ServicePods.hostname(pod, service))
                .withTargetRef(new ObjectReferenceBuilder().withKind("Pod")
                        .withNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                        .withUid(pod.getMetadata().getUid()).build())
                .build();
    }

    private static Map<String, String> labels(Service service) {
        return ServicePods.labelsOf(service);
    }

    private static Map<String, String> annotations(Optional<Endpoints> current, Instant triggerTime,
            boolean overCapacity) {
        Map<String, String> annotations = current.map(e -> e.getMetadata().getAnnotations()).map(LinkedHashMap::new)
                .orElseGet(LinkedHashMap::new);
        if (triggerTime != null) {
            annotations.put(ServicePods.TRIGGER_TIME_ANNOTATION, triggerTime.toString());
        } else {
            annotations.remove(ServicePods.TRIGGER_TIME_ANNOTATION);
        }
        if (overCapacity) {
            annotations.put(OVER_CAPACITY_ANNOTATION, "truncated");
        } else {
            annotations.remove(OVER_CAPACITY_ANNOTATION);
        }
        return annotations;
    }

    private static boolean upToDate(Endpoints current, List<EndpointSubset> wanted, Map<String, String> labels,
            boolean overCapacity) {
        List<EndpointSubset> have = current.getSubsets() == null ? List.of() : current.getSubsets();
        Map<String, String> haveLabels = current.getMetadata().getLabels() == null ? Map.of()
                : current.getMetadata().getLabels();
        Map<String, String> annotations = current.getMetadata().getAnnotations() == null ? Map.of()
                : current.getMetadata().getAnnotations();
        return have.equals(wanted) && haveLabels.equals(labels)
                && overCapacity == annotations.containsKey(OVER_CAPACITY_ANNOTATION);
    }

    private static void write(Context context, Service service, Endpoints endpoints, boolean exists) {
        var client = context.client().endpoints().inNamespace(service.getMetadata().getNamespace());
        try {
            if (exists) {
                client.resource(endpoints).update();
            } else {
                client.resource(endpoints).create();
            }
        } catch (KubernetesClientException e) {
            if (terminating(e)) {
                return;
            }
            if (e.getCode() == 409) {
                throw e;
            }
            context.events().warning(service, exists ? "FailedToUpdateEndpoint" : "FailedToCreateEndpoint",
                    "Failed to " + (exists ? "update" : "create") + " endpoint " + service.getMetadata().getNamespace()
                            + "/" + service.getMetadata().getName() + ": " + e.getMessage());
            throw e;
        }
    }

    /** A write refused because the namespace is being deleted: nothing to do, the Endpoints go with it. */
    private static boolean terminating(KubernetesClientException e) {
        return e.getCode() == 403 && Objects.toString(e.getMessage(), "").contains("being terminated");
    }

    private static void deleteQuietly(Context context, ObjectKey key) {
        try {
            context.client().endpoints().inNamespace(key.namespace()).withName(key.name()).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}

package io.k4j.controllers.endpointslice;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.Expectations;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.OwnerRefs;
import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.api.Result;
import io.k4j.controllers.api.Watches;
import io.k4j.controllers.endpoints.ServiceIndex;
import io.k4j.controllers.endpoints.ServicePods;
import io.k4j.controllers.endpoints.TriggerTimes;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps the EndpointSlices (discovery.k8s.io/v1) of every Service with a selector: IPv4 slices of at most 100
 * endpoints, one per set of ports, each endpoint with its ready/serving/terminating conditions, node, zone and pod;
 * labelled with the service's name and this controller as manager, and owned by the Service.
 */
public final class EndpointSliceController implements Reconciler {

    public static final String NAME = "endpointslice";
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
    static final String MANAGED_BY = "endpointslice-controller.k8s.io";
    static final int MAX_ENDPOINTS_PER_SLICE = 100;

    private final ServiceIndex services = new ServiceIndex();
    private final TriggerTimes triggerTimes = new TriggerTimes();
    private final Expectations expectations;
    private final int maxEndpointsPerSlice;

    public EndpointSliceController(Clock clock) {
        this(clock, MAX_ENDPOINTS_PER_SLICE);
    }

    /** With another slice size, as upstream's --max-endpoints-per-slice. */
    EndpointSliceController(Clock clock, int maxEndpointsPerSlice) {
        this.expectations = new Expectations(clock);
        this.maxEndpointsPerSlice = maxEndpointsPerSlice;
    }

    @Override
    public void watch(Watches watches) {
        watches.primary(Service.class)
                .cached(Service.class, services)
                .cached(EndpointSlice.class, (event, oldSlice, slice) -> {
                    if (event == Watches.Event.ADDED && ours(slice)) {
                        expectations.creationObserved(serviceOf(slice));
                    }
                })
                .mapped(EndpointSlice.class, slice -> ours(slice) ? List.of(serviceOf(slice)) : List.of())
                .mapped(Pod.class, services::servicesOf)
                .cached(Node.class);
    }

    private static boolean ours(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        return labels != null && MANAGED_BY.equals(labels.get(MANAGED_BY_LABEL)) && labels.get(SERVICE_NAME_LABEL) != null;
    }

    private static ObjectKey serviceOf(EndpointSlice slice) {
        return new ObjectKey(slice.getMetadata().getNamespace(), slice.getMetadata().getLabels().get(SERVICE_NAME_LABEL));
    }

    @Override
    public Result reconcile(ObjectKey key, Context context) {
        Service service = context.cache(Service.class).get(key).orElse(null);
        List<EndpointSlice> slices = context.cache(EndpointSlice.class).list(key.namespace()).stream()
                .filter(slice -> ours(slice) && serviceOf(slice).equals(key)).toList();
        if (service == null) {
            slices.forEach(slice -> delete(context, slice)); // the collector would too: they are owned by the Service
            expectations.forget(key);
            triggerTimes.forget(key);
            return Result.done();
        }
        if (ServicePods.selector(service) == null || "ExternalName".equals(service.getSpec().getType())
                || !expectations.satisfied(key)) {
            return Result.done(); // slices being created will bring this key back when they are seen
        }
        List<Pod> pods = ServicePods.selected(service, context.cache(Pod.class).list(key.namespace()));
        Map<List<EndpointPort>, List<Endpoint>> desired = DesiredEndpoints.of(service, pods,
                name -> context.cache(Node.class).get(ObjectKey.cluster(name)));
        SlicePlan plan = SlicePlan.compute(desired, slices, maxEndpointsPerSlice);
        Instant triggerTime = triggerTimes.compute(service, pods);
        Map<String, String> labels = labels(service);
        plan.deletes().forEach(slice -> delete(context, slice));
        for (EndpointSlice slice : slices) {
            if (!plan.deletes().contains(slice) && plan.updates().stream().noneMatch(u -> sameName(u, slice))
                    && !labels.equals(slice.getMetadata().getLabels())) {
                update(context, slice, labels, triggerTime); // the service's labels changed
            }
        }
        plan.updates().forEach(slice -> update(context, slice, labels, triggerTime));
        expectations.expect(key, plan.creates().size(), 0);
        for (SlicePlan.Contents contents : plan.creates()) {
            create(context, service, contents, labels, triggerTime);
        }
        return Result.done();
    }

    private static boolean sameName(EndpointSlice a, EndpointSlice b) {
        return a.getMetadata().getName().equals(b.getMetadata().getName());
    }

    /** The service's labels, the headless label if it is headless, and the slice's service and manager. */
    private static Map<String, String> labels(Service service) {
        Map<String, String> labels = ServicePods.labelsOf(service);
        labels.put(SERVICE_NAME_LABEL, service.getMetadata().getName());
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        return labels;
    }

    private static Map<String, String> annotations(Map<String, String> current, Instant triggerTime) {
        Map<String, String> annotations = current == null ? new LinkedHashMap<>() : new LinkedHashMap<>(current);
        if (triggerTime != null) {
            annotations.put(ServicePods.TRIGGER_TIME_ANNOTATION, triggerTime.toString());
        } else {
            annotations.remove(ServicePods.TRIGGER_TIME_ANNOTATION);
        }
        return annotations;
    }

    private void create(Context context, Service service, SlicePlan.Contents contents,
            Map<String, String> labels, Instant triggerTime) {
        EndpointSlice slice = new EndpointSliceBuilder()
                .withNewMetadata().withGenerateName(service.getMetadata().getName() + "-")
                .withNamespace(service.getMetadata().getNamespace()).withLabels(labels)
                .withAnnotations(annotations(null, triggerTime))
                .withOwnerReferences(OwnerRefs.controllerRef(service)).endMetadata()
                .withAddressType("IPv4").withEndpoints(contents.endpoints())
                .withPorts(contents.ports().isEmpty() ? null : contents.ports()).build();
        try {
            context.client().discovery().v1().endpointSlices().inNamespace(service.getMetadata().getNamespace())
                    .resource(slice).create();
        } catch (KubernetesClientException e) {
            expectations.creationObserved(ObjectKey.of(service)); // none is coming
            if (terminating(e)) {
                return;
            }
            context.events().warning(service, "FailedToUpdateEndpointSlices",
                    "Error updating Endpoint Slices for Service " + service.getMetadata().getNamespace() + "/"
                            + service.getMetadata().getName() + ": " + e.getMessage());
            throw e;
        }
    }

    private static void update(Context context, EndpointSlice slice, Map<String, String> labels, Instant triggerTime) {
        EndpointSlice updated = new EndpointSliceBuilder(slice).editMetadata().withLabels(labels)
                .withAnnotations(annotations(slice.getMetadata().getAnnotations(), triggerTime)).endMetadata().build();
        try {
            context.client().discovery().v1().endpointSlices().inNamespace(slice.getMetadata().getNamespace())
                    .resource(updated).update();
        } catch (KubernetesClientException e) {
            if (!terminating(e) && e.getCode() != 404) {
                throw e;
            }
        }
    }

    private static void delete(Context context, EndpointSlice slice) {
        try {
            context.client().discovery().v1().endpointSlices().inNamespace(slice.getMetadata().getNamespace())
                    .withName(slice.getMetadata().getName()).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private static boolean terminating(KubernetesClientException e) {
        return e.getCode() == 403 && Objects.toString(e.getMessage(), "").contains("being terminated");
    }
}

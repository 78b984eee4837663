package io.k4j.controllers.endpointslice;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.k4j.controllers.endpoints.ServicePods;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The endpoints a Service should have, grouped by the ports they serve (pods resolving a named target port
 * differently end up in different slices), as upstream's endpointslice reconciler computes them.
 */
final class DesiredEndpoints {

    static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    private DesiredEndpoints() {
    }

    /** Port set to endpoints, each list in pod name order. */
    static Map<List<EndpointPort>, List<Endpoint>> of(Service service, List<Pod> pods,
            Function<String, Optional<Node>> nodes) {
        Map<List<EndpointPort>, List<Endpoint>> byPorts = new LinkedHashMap<>();
        List<Pod> sorted = new ArrayList<>(pods);
        sorted.sort(Comparator.comparing(pod -> pod.getMetadata().getName()));
        for (Pod pod : sorted) {
            if (!ServicePods.shouldBeInEndpoints(pod, true)) {
                continue;
            }
            byPorts.computeIfAbsent(ports(service, pod), p -> new ArrayList<>())
                    .add(ServicePods.asStored(endpoint(service, pod, nodes)));
        }
        return byPorts;
    }

    static List<EndpointPort> ports(Service service, Pod pod) {
        List<EndpointPort> ports = new ArrayList<>();
        List<ServicePort> servicePorts = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
        for (ServicePort servicePort : servicePorts) {
            ServicePods.findPort(pod, servicePort).ifPresent(number -> ports.add(new EndpointPortBuilder()
                    .withName(servicePort.getName() == null ? "" : servicePort.getName()).withPort(number)
                    .withProtocol(servicePort.getProtocol()).withAppProtocol(servicePort.getAppProtocol()).build()));
        }
        ports.sort(Comparator.comparing(EndpointPort::getName).thenComparing(EndpointPort::getPort));
        return ports.stream().map(ServicePods::asStored).toList();
    }

    static Endpoint endpoint(Service service, Pod pod, Function<String, Optional<Node>> nodes) {
        boolean serving = ServicePods.ready(pod);
        boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
        String nodeName = pod.getSpec().getNodeName();
        String zone = nodeName == null ? null : nodes.apply(nodeName)
                .map(node -> node.getMetadata().getLabels() == null ? null : node.getMetadata().getLabels().get(ZONE_LABEL))
                .orElse(null);
        return new EndpointBuilder().withAddresses(pod.getStatus().getPodIP())
                .withNewConditions()
                // As upstream: never ready while terminating, unless not-ready addresses are published anyway.
                .withReady(ServicePods.publishNotReady(service) || serving && !terminating)
                .withServing(serving).withTerminating(terminating)
                .endConditions()
                .withHostname(ServicePods.hostname(pod, service))
                .withNodeName(nodeName).withZone(zone)
                .withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
                        .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).build())
                .build();
    }
}

package io.k4j.ingress.routing;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.util.List;

/** What the routing table is built from, as the informers hold it. */
public record ClusterState(List<Ingress> ingresses, List<IngressClass> ingressClasses, List<Service> services,
                           List<EndpointSlice> endpointSlices) {

    public ClusterState {
        ingresses = List.copyOf(ingresses);
        ingressClasses = List.copyOf(ingressClasses);
        services = List.copyOf(services);
        endpointSlices = List.copyOf(endpointSlices);
    }
}

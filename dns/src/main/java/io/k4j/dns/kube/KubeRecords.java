package io.k4j.dns.kube;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.k4j.dns.zone.EndpointEntry;
import io.k4j.dns.zone.PortEntry;
import io.k4j.dns.zone.ServiceEntry;
import io.k4j.dns.zone.ServiceKey;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Address;

/** Services and EndpointSlices as the index's entries; what DNS cannot use is left out, with a log line. */
public final class KubeRecords {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    private static final Logger log = LoggerFactory.getLogger(KubeRecords.class);

    private KubeRecords() {
    }

    /** The entry of a Service; empty while a ClusterIP service has no address yet. */
    public static Optional<ServiceEntry> service(Service service) {
        String namespace = service.getMetadata().getNamespace();
        String name = service.getMetadata().getName();
        ServiceSpec spec = service.getSpec();
        if (spec == null) {
            return Optional.empty();
        }
        List<PortEntry> ports = spec.getPorts() == null ? List.of() : spec.getPorts().stream()
                .filter(port -> port.getPort() != null).map(KubeRecords::port).toList();
        if ("ExternalName".equals(spec.getType())) {
            if (spec.getExternalName() == null || spec.getExternalName().isBlank()) {
                log.warn("service {}/{} of type ExternalName has no externalName", namespace, name);
                return Optional.empty();
            }
            return Optional.of(ServiceEntry.externalName(namespace, name, spec.getExternalName()));
        }
        boolean notReady = Boolean.TRUE.equals(spec.getPublishNotReadyAddresses());
        if ("None".equals(spec.getClusterIP())) {
            return Optional.of(ServiceEntry.headless(namespace, name, ports, notReady));
        }
        List<String> texts = spec.getClusterIPs() != null && !spec.getClusterIPs().isEmpty() ? spec.getClusterIPs()
                : spec.getClusterIP() == null ? List.of() : List.of(spec.getClusterIP());
        List<InetAddress> ips = texts.stream().map(KubeRecords::ip).flatMap(Optional::stream).toList();
        if (ips.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ServiceEntry(namespace, name, ServiceEntry.Kind.CLUSTER_IP, ips, null, ports,
                notReady));
    }

    /** The service an EndpointSlice belongs to, by its kubernetes.io/service-name label. */
    public static Optional<ServiceKey> owner(EndpointSlice slice) {
        var labels = slice.getMetadata().getLabels();
        String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
        return service == null || service.isEmpty() ? Optional.empty()
                : Optional.of(new ServiceKey(slice.getMetadata().getNamespace(), service));
    }

    public static List<EndpointEntry> endpoints(EndpointSlice slice) {
        if (!"IPv4".equals(slice.getAddressType()) && !"IPv6".equals(slice.getAddressType())) {
            return List.of();
        }
        List<PortEntry> ports = slice.getPorts() == null ? List.of() : slice.getPorts().stream()
                .filter(port -> port.getPort() != null).map(KubeRecords::port).toList();
        List<EndpointEntry> endpoints = new ArrayList<>();
        for (Endpoint endpoint : slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints()) {
            List<InetAddress> addresses = endpoint.getAddresses() == null ? List.of()
                    : endpoint.getAddresses().stream().map(KubeRecords::ip).flatMap(Optional::stream).toList();
            boolean ready = endpoint.getConditions() == null || endpoint.getConditions().getReady() == null
                    || endpoint.getConditions().getReady();
            endpoints.add(new EndpointEntry(addresses, endpoint.getHostname(), ready, ports));
        }
        return endpoints;
    }

    private static PortEntry port(ServicePort port) {
        return new PortEntry(port.getName(), port.getProtocol(), port.getPort());
    }

    private static PortEntry port(EndpointPort port) {
        return new PortEntry(port.getName(), port.getProtocol(), port.getPort());
    }

    /** An IP literal; never a name lookup. */
    static Optional<InetAddress> ip(String text) {
        if (text == null) {
            return Optional.empty();
        }
        byte[] bytes = Address.toByteArray(text, text.contains(":") ? Address.IPv6 : Address.IPv4);
        if (bytes == null) {
            log.warn("ignoring {}: not an IP address", text);
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException impossible) {
            return Optional.empty();
        }
    }
}

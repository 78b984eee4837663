package io.k4j.proxy;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.k4j.proxy.rules.EndpointInfo;
import io.k4j.proxy.rules.ServicePortInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Services and EndpointSlices the informers delivered, and their translation into service ports with
 * endpoints. Thread-safe; every change bumps a generation so the sync loop knows whether it has work.
 */
public final class ProxyState {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    /** Services handled by another proxy carry this label, and kube-proxy leaves them alone. */
    static final String SERVICE_PROXY_NAME_LABEL = "service.kubernetes.io/service-proxy-name";
    private static final int DEFAULT_AFFINITY_SECONDS = 10800;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Logger log = LoggerFactory.getLogger(ProxyState.class);

    private final Map<String, Service> services = new HashMap<>();
    private final Map<String, EndpointSlice> slices = new HashMap<>();
    private long generation;
    /** Services already reported as unusable, with the resourceVersion reported, so each is logged once. */
    private final Map<String, String> reported = new HashMap<>();

    public synchronized void putService(Service s) {
        services.put(key(s.getMetadata().getNamespace(), s.getMetadata().getName()), s);
        generation++;
    }

    public synchronized void removeService(Service s) {
        services.remove(key(s.getMetadata().getNamespace(), s.getMetadata().getName()));
        reported.remove(key(s.getMetadata().getNamespace(), s.getMetadata().getName()));
        generation++;
    }

    public synchronized void putSlice(EndpointSlice s) {
        slices.put(key(s.getMetadata().getNamespace(), s.getMetadata().getName()), s);
        generation++;
    }

    public synchronized void removeSlice(EndpointSlice s) {
        slices.remove(key(s.getMetadata().getNamespace(), s.getMetadata().getName()));
        generation++;
    }

    public synchronized long generation() {
        return generation;
    }

    /** Every service port to program, in a stable order; services that cannot be handled are logged and skipped. */
    public synchronized List<ServicePortInfo> snapshot() {
        Map<String, List<EndpointSlice>> byService = new HashMap<>();
        for (EndpointSlice slice : slices.values()) {
            Map<String, String> labels = slice.getMetadata().getLabels();
            String svc = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
            if (svc != null && "IPv4".equals(slice.getAddressType())) {
                byService.computeIfAbsent(key(slice.getMetadata().getNamespace(), svc), k -> new ArrayList<>())
                        .add(slice);
            }
        }
        List<ServicePortInfo> out = new ArrayList<>();
        for (Map.Entry<String, Service> e : new TreeMap<>(services).entrySet()) {
            try {
                out.addAll(ports(e.getValue(), byService.getOrDefault(e.getKey(), List.of())));
            } catch (RuntimeException ex) {
                String version = e.getValue().getMetadata().getResourceVersion();
                if (!reported.containsKey(e.getKey()) || !Objects.equals(reported.get(e.getKey()), version)) {
                    reported.put(e.getKey(), version);
                    log.warn("skipping service {} (resourceVersion {}): {}", e.getKey(), version, ex.getMessage());
                }
            }
        }
        return out;
    }

    static List<ServicePortInfo> ports(Service service, List<EndpointSlice> slices) {
        ServiceSpec spec = service.getSpec();
        Map<String, String> labels = service.getMetadata().getLabels();
        if (spec == null || "ExternalName".equals(spec.getType()) || !isIpv4(spec.getClusterIP())
                || (labels != null && labels.containsKey(SERVICE_PROXY_NAME_LABEL)) || spec.getPorts() == null) {
            return List.of();
        }
        boolean nodePorts = "NodePort".equals(spec.getType()) || "LoadBalancer".equals(spec.getType());
        List<String> lbIps = "LoadBalancer".equals(spec.getType()) ? loadBalancerIps(service) : List.of();
        List<String> externalIps = spec.getExternalIPs() == null ? List.of()
                : spec.getExternalIPs().stream().filter(ProxyState::isIpv4).toList();
        int affinity = 0;
        if ("ClientIP".equals(spec.getSessionAffinity())) {
            Integer t = spec.getSessionAffinityConfig() == null || spec.getSessionAffinityConfig().getClientIP() == null
                    ? null : spec.getSessionAffinityConfig().getClientIP().getTimeoutSeconds();
            affinity = t == null || t <= 0 ? DEFAULT_AFFINITY_SECONDS : t;
        }
        List<ServicePortInfo> out = new ArrayList<>();
        for (ServicePort port : spec.getPorts()) {
            if (port.getPort() == null) {
                throw new IllegalArgumentException("port \"" + port.getName() + "\" has no port number");
            }
            String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
            String portName = port.getName() == null ? "" : port.getName();
            ServicePortInfo.Builder b = ServicePortInfo.builder(service.getMetadata().getNamespace(),
                            service.getMetadata().getName())
                    .portName(portName).protocol(protocol).clusterIp(spec.getClusterIP()).port(port.getPort())
                    .nodePort(nodePorts && port.getNodePort() != null ? port.getNodePort() : 0)
                    .affinityTimeoutSeconds(affinity)
                    .internalPolicyLocal("Local".equals(spec.getInternalTrafficPolicy()))
                    .endpoints(endpoints(slices, portName, protocol));
            externalIps.forEach(b::externalIp);
            lbIps.forEach(b::loadBalancerIp);
            ServicePortInfo info = b.build();
            // The external policy only matters for traffic that can come from outside (kube-proxy's rule).
            out.add(info.toBuilder().externalPolicyLocal(info.externallyAccessible()
                    && "Local".equals(spec.getExternalTrafficPolicy())).build());
        }
        return out;
    }

    private static List<String> loadBalancerIps(Service service) {
        if (service.getStatus() == null || service.getStatus().getLoadBalancer() == null
                || service.getStatus().getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        List<String> ips = new ArrayList<>();
        for (LoadBalancerIngress ingress : service.getStatus().getLoadBalancer().getIngress()) {
            // ipMode Proxy means the load balancer delivers to the node itself, so no rule for its address.
            if (isIpv4(ingress.getIp()) && !"Proxy".equals(ingress.getIpMode())) {
                ips.add(ingress.getIp());
            }
        }
        return ips;
    }

    /** The endpoints of one service port across its slices; an address seen twice counts once. */
    static List<EndpointInfo> endpoints(List<EndpointSlice> slices, String portName, String protocol) {
        Map<String, EndpointInfo> byAddress = new LinkedHashMap<>();
        List<EndpointSlice> ordered = new ArrayList<>(slices);
        ordered.sort((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()));
        for (EndpointSlice slice : ordered) {
            Integer port = matchingPort(slice, portName, protocol);
            if (port == null || slice.getEndpoints() == null) {
                continue;
            }
            for (Endpoint ep : slice.getEndpoints()) {
                if (ep.getAddresses() == null || ep.getAddresses().isEmpty() || !isIpv4(ep.getAddresses().get(0))) {
                    continue;
                }
                EndpointConditions c = ep.getConditions();
                boolean ready = c == null || c.getReady() == null || c.getReady();
                boolean serving = c == null || c.getServing() == null ? ready : c.getServing();
                boolean terminating = c != null && Boolean.TRUE.equals(c.getTerminating());
                EndpointInfo info = new EndpointInfo(ep.getAddresses().get(0), port, ready, serving, terminating,
                        ep.getNodeName());
                byAddress.merge(info.hostPort(), info, (old, neu) -> old.ready() ? old : neu);
            }
        }
        return List.copyOf(byAddress.values());
    }

    private static Integer matchingPort(EndpointSlice slice, String portName, String protocol) {
        if (slice.getPorts() == null) {
            return null;
        }
        for (EndpointPort p : slice.getPorts()) {
            String name = p.getName() == null ? "" : p.getName();
            String proto = p.getProtocol() == null ? "TCP" : p.getProtocol();
            if (name.equals(portName) && proto.equals(protocol) && p.getPort() != null) {
                return p.getPort();
            }
        }
        return null;
    }

    static boolean isIpv4(String ip) {
        return ip != null && IPV4.matcher(ip).matches();
    }

    private static String key(String namespace, String name) {
        return Objects.requireNonNullElse(namespace, "") + "/" + name;
    }
}

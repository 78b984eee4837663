package io.k4j.ingress.routing;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds a {@link RoutingTable} from a {@link ClusterState}: pure, so the same state always gives the same table.
 * Ingresses are taken oldest first (then by namespace and name), so on conflicting rules the oldest wins.
 */
public final class RoutingTableBuilder {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private final IngressClassPolicy policy;

    public RoutingTableBuilder(IngressClassPolicy policy) {
        this.policy = policy;
    }

    public RoutingTable build(ClusterState state) {
        return new Build(state, policy.selector(state.ingressClasses())).table();
    }

    /** The state of one build: lookups over the snapshot and what has been gathered so far. */
    private static final class Build {

        private final ClusterState state;
        private final IngressClassPolicy.Selector selector;
        private final Map<String, Service> services = new HashMap<>();
        private final Map<String, List<EndpointSlice>> slicesByService = new HashMap<>();
        private final Map<String, List<Route>> exactHosts = new LinkedHashMap<>();
        private final Map<String, List<Route>> wildcardHosts = new LinkedHashMap<>();
        private final List<Route> anyHost = new ArrayList<>();
        private final Map<String, SecretRef> certificates = new LinkedHashMap<>();
        private final Set<String> served = new LinkedHashSet<>();
        private final List<String> problems = new ArrayList<>();
        private Backend defaultBackend;

        Build(ClusterState state, IngressClassPolicy.Selector selector) {
            this.state = state;
            this.selector = selector;
            state.services().forEach(service -> services.put(key(service.getMetadata().getNamespace(),
                    service.getMetadata().getName()), service));
            for (EndpointSlice slice : state.endpointSlices()) {
                Map<String, String> labels = slice.getMetadata().getLabels();
                String serviceName = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
                if (serviceName != null) {
                    slicesByService.computeIfAbsent(key(slice.getMetadata().getNamespace(), serviceName),
                            k -> new ArrayList<>()).add(slice);
                }
            }
        }

        RoutingTable table() {
            state.ingresses().stream().filter(selector::serves).sorted(OLDEST_FIRST).forEach(this::add);
            Comparator<Route> precedence = Comparator.comparingInt(Route::elements).reversed()
                    .thenComparing(Route::type);
            exactHosts.values().forEach(routes -> routes.sort(precedence));
            wildcardHosts.values().forEach(routes -> routes.sort(precedence));
            anyHost.sort(precedence);
            return new RoutingTable(exactHosts, wildcardHosts, anyHost, defaultBackend, certificates, served,
                    problems);
        }

        private void add(Ingress ingress) {
            String namespace = ingress.getMetadata().getNamespace();
            String name = key(namespace, ingress.getMetadata().getName());
            served.add(name);
            if (ingress.getSpec() == null) {
                return;
            }
            if (ingress.getSpec().getDefaultBackend() != null && defaultBackend == null) {
                defaultBackend = backend(name, namespace, ingress.getSpec().getDefaultBackend());
            }
            for (IngressRule rule : nullSafe(ingress.getSpec().getRules())) {
                addRule(name, namespace, rule);
            }
            for (IngressTLS tls : nullSafe(ingress.getSpec().getTls())) {
                if (tls.getSecretName() == null || tls.getSecretName().isEmpty()) {
                    continue;
                }
                for (String host : nullSafe(tls.getHosts())) {
                    certificates.putIfAbsent(host.toLowerCase(Locale.ROOT), new SecretRef(namespace,
                            tls.getSecretName()));
                }
            }
        }

        private void addRule(String ingressName, String namespace, IngressRule rule) {
            if (rule.getHttp() == null) {
                return;
            }
            List<Route> group = group(rule.getHost());
            for (HTTPIngressPath path : nullSafe(rule.getHttp().getPaths())) {
                Route route = Route.of(path.getPath(), PathType.of(path.getPathType()),
                        backend(ingressName, namespace, path.getBackend()));
                boolean taken = group.stream().anyMatch(r -> r.path().equals(route.path())
                        && r.type() == route.type());
                if (taken) {
                    problems.add("ingress " + ingressName + ": path " + route.path() + " of host "
                            + Objects.requireNonNullElse(rule.getHost(), "*") + " is served by an older Ingress");
                } else {
                    group.add(route);
                }
            }
        }

        private List<Route> group(String host) {
            if (host == null || host.isEmpty()) {
                return anyHost;
            }
            String normalised = host.toLowerCase(Locale.ROOT);
            Map<String, List<Route>> groups = Hosts.isWildcard(normalised) ? wildcardHosts : exactHosts;
            return groups.computeIfAbsent(normalised, k -> new ArrayList<>());
        }

        private Backend backend(String ingressName, String namespace, IngressBackend backend) {
            IngressServiceBackend ref = backend == null ? null : backend.getService();
            if (ref == null || ref.getName() == null || ref.getPort() == null) {
                problems.add("ingress " + ingressName + ": a backend names no service and port"
                        + " (resource backends are not supported)");
                return new Backend("unsupported:" + ingressName, List.of());
            }
            String portText = ref.getPort().getName() != null ? ref.getPort().getName()
                    : String.valueOf(ref.getPort().getNumber());
            String backendKey = key(namespace, ref.getName()) + ":" + portText;
            Service service = services.get(key(namespace, ref.getName()));
            if (service == null) {
                problems.add("ingress " + ingressName + ": service " + namespace + "/" + ref.getName()
                        + " does not exist");
                return new Backend(backendKey, List.of());
            }
            ServicePort port = servicePort(service, ref.getPort().getName(), ref.getPort().getNumber());
            if (port == null) {
                problems.add("ingress " + ingressName + ": service " + namespace + "/" + ref.getName()
                        + " has no port " + portText);
                return new Backend(backendKey, List.of());
            }
            return new Backend(backendKey, readyEndpoints(key(namespace, ref.getName()), port.getName()));
        }

        private static ServicePort servicePort(Service service, String name, Integer number) {
            for (ServicePort port : service.getSpec() == null ? List.<ServicePort>of()
                    : nullSafe(service.getSpec().getPorts())) {
                boolean byName = name != null && name.equals(port.getName());
                boolean byNumber = name == null && number != null && number.equals(port.getPort());
                if ((byName || byNumber) && !"UDP".equals(port.getProtocol())
                        && !"SCTP".equals(port.getProtocol())) {
                    return port;
                }
            }
            return null;
        }

        /** Ready endpoints of the slices' port named as the Service port ("" and null are the same name). */
        private List<InetSocketAddress> readyEndpoints(String serviceKey, String portName) {
            Set<InetSocketAddress> endpoints = new LinkedHashSet<>();
            String wanted = portName == null ? "" : portName;
            for (EndpointSlice slice : slicesByService.getOrDefault(serviceKey, List.of())) {
                if ("FQDN".equals(slice.getAddressType())) {
                    continue;
                }
                Integer number = null;
                for (EndpointPort port : nullSafe(slice.getPorts())) {
                    if (wanted.equals(port.getName() == null ? "" : port.getName()) && port.getPort() != null) {
                        number = port.getPort();
                    }
                }
                if (number == null) {
                    continue;
                }
                for (Endpoint endpoint : nullSafe(slice.getEndpoints())) {
                    boolean ready = endpoint.getConditions() == null || endpoint.getConditions().getReady() == null
                            || endpoint.getConditions().getReady();
                    if (ready) {
                        for (String address : nullSafe(endpoint.getAddresses())) {
                            if (isIpLiteral(address)) {
                                endpoints.add(new InetSocketAddress(address, number));
                            }
                        }
                    }
                }
            }
            return List.copyOf(endpoints);
        }
    }

    private static final Comparator<Ingress> OLDEST_FIRST = Comparator
            .comparing((Ingress ingress) -> Objects.requireNonNullElse(
                    ingress.getMetadata().getCreationTimestamp(), ""))
            .thenComparing(ingress -> Objects.requireNonNullElse(ingress.getMetadata().getNamespace(), ""))
            .thenComparing(ingress -> ingress.getMetadata().getName());

    /** EndpointSlices of type IPv4/IPv6 hold literals; anything else is skipped rather than resolved by DNS. */
    static boolean isIpLiteral(String address) {
        return address.matches("[0-9.]+") || (address.contains(":") && address.matches("[0-9a-fA-F:.]+"));
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}

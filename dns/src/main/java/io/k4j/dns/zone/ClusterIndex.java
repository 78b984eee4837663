package io.k4j.dns.zone;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Services and endpoints DNS answers from, kept in memory. Writers (the informers) are serialized; readers (the
 * query threads) never lock: each service's published addresses and the reverse map are replaced, never mutated.
 */
public final class ClusterIndex {

    /** What a reverse (PTR) lookup of an address names: the service itself (label null) or one of its endpoints. */
    public record ReverseTarget(ServiceKey service, String label) {
    }

    private final Map<ServiceKey, ServiceEntry> services = new ConcurrentHashMap<>();
    private final Map<ServiceKey, Map<String, List<EndpointEntry>>> slices = new HashMap<>();
    private final Map<ServiceKey, List<EndpointAddress>> published = new ConcurrentHashMap<>();
    private final Map<String, Integer> servicesPerNamespace = new ConcurrentHashMap<>();
    private final Map<InetAddress, List<ReverseTarget>> reverse = new ConcurrentHashMap<>();
    private final Map<ServiceKey, List<InetAddress>> reverseContributions = new HashMap<>();

    public Optional<ServiceEntry> service(String namespace, String name) {
        return Optional.ofNullable(services.get(new ServiceKey(namespace, name)));
    }

    /** The addresses a service publishes: ready endpoints, or all of them with publishNotReadyAddresses. */
    public List<EndpointAddress> endpoints(ServiceKey service) {
        return published.getOrDefault(service, List.of());
    }

    public boolean hasNamespace(String namespace) {
        return servicesPerNamespace.containsKey(namespace);
    }

    public List<ReverseTarget> reverse(InetAddress ip) {
        return reverse.getOrDefault(ip, List.of());
    }

    public int serviceCount() {
        return services.size();
    }

    public synchronized void putService(ServiceEntry service) {
        if (services.put(service.key(), service) == null) {
            servicesPerNamespace.merge(service.namespace(), 1, Integer::sum);
        }
        republish(service.key());
    }

    public synchronized void removeService(ServiceKey key) {
        if (services.remove(key) != null) {
            servicesPerNamespace.computeIfPresent(key.namespace(), (ns, count) -> count == 1 ? null : count - 1);
        }
        republish(key);
    }

    /** Sets the endpoints of one EndpointSlice of a service (slices are joined to services by their label). */
    public synchronized void putSlice(ServiceKey service, String sliceName, List<EndpointEntry> endpoints) {
        slices.computeIfAbsent(service, key -> new LinkedHashMap<>()).put(sliceName, List.copyOf(endpoints));
        republish(service);
    }

    public synchronized void removeSlice(ServiceKey service, String sliceName) {
        Map<String, List<EndpointEntry>> ofService = slices.get(service);
        if (ofService != null && ofService.remove(sliceName) != null) {
            if (ofService.isEmpty()) {
                slices.remove(service);
            }
            republish(service);
        }
    }

    private void republish(ServiceKey key) {
        ServiceEntry service = services.get(key);
        List<EndpointAddress> addresses = service == null ? List.of() : publishedAddresses(service);
        if (addresses.isEmpty()) {
            published.remove(key);
        } else {
            published.put(key, addresses);
        }
        updateReverse(key, service, addresses);
    }

    private List<EndpointAddress> publishedAddresses(ServiceEntry service) {
        if (service.kind() == ServiceEntry.Kind.EXTERNAL_NAME) {
            return List.of();
        }
        Set<InetAddress> seen = new LinkedHashSet<>();
        List<EndpointAddress> addresses = new ArrayList<>();
        for (List<EndpointEntry> slice : slices.getOrDefault(service.key(), Map.of()).values()) {
            for (EndpointEntry endpoint : slice) {
                if (!endpoint.ready() && !service.publishNotReadyAddresses()) {
                    continue;
                }
                for (InetAddress ip : endpoint.addresses()) {
                    if (seen.add(ip)) {
                        String label = endpoint.hostname() != null ? endpoint.hostname() : IpLabels.dashed(ip);
                        addresses.add(new EndpointAddress(ip, label, endpoint.ports()));
                    }
                }
            }
        }
        return List.copyOf(addresses);
    }

    private void updateReverse(ServiceKey key, ServiceEntry service, List<EndpointAddress> addresses) {
        for (InetAddress ip : reverseContributions.getOrDefault(key, List.of())) {
            List<ReverseTarget> rest = reverse.getOrDefault(ip, List.of()).stream()
                    .filter(target -> !target.service().equals(key)).toList();
            if (rest.isEmpty()) {
                reverse.remove(ip);
            } else {
                reverse.put(ip, rest);
            }
        }
        Map<InetAddress, ReverseTarget> mine = new LinkedHashMap<>();
        if (service != null) {
            service.clusterIps().forEach(ip -> mine.put(ip, new ReverseTarget(key, null)));
            addresses.forEach(address -> mine.putIfAbsent(address.ip(), new ReverseTarget(key, address.label())));
        }
        mine.forEach((ip, target) -> {
            List<ReverseTarget> targets = new ArrayList<>(reverse.getOrDefault(ip, List.of()));
            targets.add(target);
            reverse.put(ip, List.copyOf(targets));
        });
        if (mine.isEmpty()) {
            reverseContributions.remove(key);
        } else {
            reverseContributions.put(key, List.copyOf(mine.keySet()));
        }
    }
}

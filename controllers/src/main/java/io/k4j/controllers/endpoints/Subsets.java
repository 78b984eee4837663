package io.k4j.controllers.endpoints;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an Endpoints object's subsets as upstream's RepackSubsets leaves them: one subset per distinct set of
 * ports, addresses sorted by IP, an address ready in a subset never also listed as not ready there. Also caps the
 * addresses at {@link #MAX_ADDRESSES}, ready ones first.
 */
final class Subsets {

    static final int MAX_ADDRESSES = 1000;

    private static final Comparator<EndpointAddress> BY_IP = Comparator.comparing(EndpointAddress::getIp)
            .thenComparing(a -> a.getTargetRef() == null ? "" : String.valueOf(a.getTargetRef().getUid()));
    private static final Comparator<EndpointPort> BY_PORT = Comparator
            .comparing((EndpointPort p) -> p.getName() == null ? "" : p.getName())
            .thenComparing(EndpointPort::getPort).thenComparing(p -> String.valueOf(p.getProtocol()));

    private record Group(List<EndpointPort> ports, Map<String, EndpointAddress> ready,
            Map<String, EndpointAddress> notReady) {
    }

    private final Map<String, Group> groups = new LinkedHashMap<>();

    void add(EndpointAddress address, List<EndpointPort> ports, boolean ready) {
        List<EndpointPort> sorted = new ArrayList<>(ports);
        sorted.sort(BY_PORT);
        Group group = groups.computeIfAbsent(key(sorted), k -> new Group(sorted, new LinkedHashMap<>(),
                new LinkedHashMap<>()));
        String id = address.getIp() + "/" + (address.getTargetRef() == null ? "" : address.getTargetRef().getUid());
        if (ready) {
            group.ready.put(id, address);
            group.notReady.remove(id);
        } else if (!group.ready.containsKey(id)) {
            group.notReady.put(id, address);
        }
    }

    private static String key(List<EndpointPort> ports) {
        StringBuilder key = new StringBuilder();
        for (EndpointPort port : ports) {
            key.append(port.getName()).append(':').append(port.getPort()).append('/').append(port.getProtocol())
                    .append('/').append(port.getAppProtocol()).append(',');
        }
        return key.toString();
    }

    int total() {
        return groups.values().stream().mapToInt(g -> g.ready.size() + g.notReady.size()).sum();
    }

    /** The subsets, truncated to {@link #MAX_ADDRESSES} addresses (ready ones kept first). */
    List<EndpointSubset> build() {
        List<String> keys = new ArrayList<>(groups.keySet());
        keys.sort(Comparator.naturalOrder());
        int budget = MAX_ADDRESSES;
        Map<String, List<EndpointAddress>> ready = new LinkedHashMap<>();
        for (String key : keys) {
            List<EndpointAddress> addresses = sorted(groups.get(key).ready);
            ready.put(key, addresses.subList(0, Math.min(addresses.size(), budget)));
            budget -= ready.get(key).size();
        }
        List<EndpointSubset> subsets = new ArrayList<>();
        for (String key : keys) {
            Group group = groups.get(key);
            List<EndpointAddress> notReady = sorted(group.notReady);
            notReady = notReady.subList(0, Math.min(notReady.size(), budget));
            budget -= notReady.size();
            if (ready.get(key).isEmpty() && notReady.isEmpty()) {
                continue;
            }
            subsets.add(new EndpointSubsetBuilder()
                    .withAddresses(ready.get(key).isEmpty() ? null : ready.get(key))
                    .withNotReadyAddresses(notReady.isEmpty() ? null : notReady)
                    .withPorts(group.ports.isEmpty() ? null : group.ports).build());
        }
        return subsets;
    }

    private static List<EndpointAddress> sorted(Map<String, EndpointAddress> addresses) {
        List<EndpointAddress> list = new ArrayList<>(addresses.values());
        list.sort(BY_IP);
        return list;
    }
}

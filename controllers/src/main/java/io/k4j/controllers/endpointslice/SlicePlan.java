package io.k4j.controllers.endpointslice;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to create, change and delete so that a Service's slices hold exactly the desired endpoints, moving as few
 * endpoints as possible (upstream's reconciler in spirit): endpoints stay in the slice they are in, new ones fill
 * slices with room before new slices are made, empty slices go. A Service without endpoints keeps one empty
 * placeholder slice.
 *
 * @param creates  new slices' ports and endpoints
 * @param updates  existing slices with the endpoints they should have (names and metadata as they were)
 * @param deletes  slices to delete
 */
record SlicePlan(List<Contents> creates, List<EndpointSlice> updates, List<EndpointSlice> deletes) {

    record Contents(List<EndpointPort> ports, List<Endpoint> endpoints) {
    }

    static SlicePlan compute(Map<List<EndpointPort>, List<Endpoint>> desired, List<EndpointSlice> existing,
            int maxPerSlice) {
        List<Contents> creates = new ArrayList<>();
        List<EndpointSlice> updates = new ArrayList<>();
        List<EndpointSlice> deletes = new ArrayList<>();
        List<EndpointSlice> sorted = new ArrayList<>(existing);
        sorted.sort(Comparator.comparing(slice -> slice.getMetadata().getName()));
        if (desired.isEmpty()) {
            EndpointSlice placeholder = sorted.stream().filter(SlicePlan::isPlaceholder).findFirst().orElse(null);
            sorted.stream().filter(slice -> slice != placeholder).forEach(deletes::add);
            if (placeholder == null) {
                creates.add(new Contents(List.of(), List.of()));
            }
            return new SlicePlan(creates, updates, deletes);
        }
        Map<List<EndpointPort>, List<EndpointSlice>> byPorts = new LinkedHashMap<>();
        for (EndpointSlice slice : sorted) {
            List<EndpointPort> ports = ports(slice);
            if (desired.containsKey(ports)) {
                byPorts.computeIfAbsent(ports, p -> new ArrayList<>()).add(slice);
            } else {
                deletes.add(slice);
            }
        }
        desired.forEach((ports, endpoints) -> {
            Map<String, Endpoint> unplaced = new LinkedHashMap<>();
            endpoints.forEach(endpoint -> unplaced.put(id(endpoint), endpoint));
            List<EndpointSlice> kept = new ArrayList<>();
            for (EndpointSlice slice : byPorts.getOrDefault(ports, List.of())) {
                List<Endpoint> stay = new ArrayList<>();
                for (Endpoint endpoint : endpoints(slice)) {
                    Endpoint wanted = unplaced.remove(id(endpoint));
                    if (wanted != null) {
                        stay.add(wanted);
                    }
                }
                if (stay.isEmpty()) {
                    deletes.add(slice);
                } else {
                    EndpointSlice copy = copyWith(slice, stay);
                    kept.add(copy);
                    if (!stay.equals(endpoints(slice))) {
                        updates.add(copy);
                    }
                }
            }
            List<Endpoint> rest = new ArrayList<>(unplaced.values());
            for (EndpointSlice slice : kept) {
                int room = maxPerSlice - slice.getEndpoints().size();
                if (room > 0 && !rest.isEmpty()) {
                    List<Endpoint> moved = new ArrayList<>(rest.subList(0, Math.min(room, rest.size())));
                    rest.removeAll(moved);
                    slice.getEndpoints().addAll(moved);
                    if (!updates.contains(slice)) {
                        updates.add(slice);
                    }
                }
            }
            for (int i = 0; i < rest.size(); i += maxPerSlice) {
                creates.add(new Contents(ports, List.copyOf(rest.subList(i, Math.min(rest.size(), i + maxPerSlice)))));
            }
        });
        return new SlicePlan(creates, updates, deletes);
    }

    private static boolean isPlaceholder(EndpointSlice slice) {
        return endpoints(slice).isEmpty() && ports(slice).isEmpty();
    }

    static List<EndpointPort> ports(EndpointSlice slice) {
        List<EndpointPort> ports = slice.getPorts() == null ? new ArrayList<>() : new ArrayList<>(slice.getPorts());
        ports.sort(Comparator.comparing((EndpointPort p) -> p.getName() == null ? "" : p.getName())
                .thenComparing(p -> p.getPort() == null ? 0 : p.getPort()));
        return ports;
    }

    static List<Endpoint> endpoints(EndpointSlice slice) {
        return slice.getEndpoints() == null ? List.of() : slice.getEndpoints();
    }

    /** An endpoint's identity: its pod, or its first address. */
    private static String id(Endpoint endpoint) {
        if (endpoint.getTargetRef() != null && endpoint.getTargetRef().getUid() != null) {
            return endpoint.getTargetRef().getUid();
        }
        return endpoint.getAddresses() == null || endpoint.getAddresses().isEmpty() ? "" : endpoint.getAddresses().get(0);
    }

    private static EndpointSlice copyWith(EndpointSlice slice, List<Endpoint> endpoints) {
        EndpointSlice copy = new io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder(slice).build();
        copy.setEndpoints(new ArrayList<>(endpoints));
        return copy;
    }
}

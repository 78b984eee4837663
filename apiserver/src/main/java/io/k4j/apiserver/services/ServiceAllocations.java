package io.k4j.apiserver.services;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.ApiException.Cause;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.storage.ObjectMeta;
import io.k4j.apiserver.storage.WriteHook;
import io.k4j.store.KeyValue;
import io.k4j.store.KeyValueStore;
import io.k4j.store.RangeRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gives Services their cluster IP (from the service CIDR, k3s's 10.43.0.0/16 by default; the first address is the
 * `kubernetes` service's) and their node ports (30000-32767), and takes them back when a Service goes. A requested
 * IP or port that is taken or outside the range is a 422, as upstream.
 */
public final class ServiceAllocations implements WriteHook {

    public static final int NODE_PORT_FIRST = 30000;
    public static final int NODE_PORT_COUNT = 2768;

    private final ServiceCidr cidr;
    private final Allocator ips;
    private final Allocator ports;

    public ServiceAllocations(KeyValueStore store, ServiceCidr cidr) {
        this.cidr = cidr;
        this.ips = new Allocator(store, "/k4j/allocations/serviceips/", cidr.firstUsable(), cidr.usableCount(),
                cidr::format);
        this.ports = new Allocator(store, "/k4j/allocations/nodeports/", NODE_PORT_FIRST, NODE_PORT_COUNT,
                Long::toString);
    }

    public ServiceCidr cidr() {
        return cidr;
    }

    @Override
    public boolean appliesTo(ResourceDefinition definition) {
        return definition.group().isEmpty() && definition.plural().equals("services");
    }

    private static String owner(ObjectNode service) {
        return ObjectMeta.namespace(service) + "/" + ObjectMeta.name(service);
    }

    @Override
    public void beforeCreate(ObjectNode service, boolean dryRun) {
        ObjectNode spec = Json.child(service, "spec");
        String type = spec.path("type").asString("ClusterIP");
        List<Long> takenIps = new ArrayList<>();
        List<Long> takenPorts = new ArrayList<>();
        try {
            if (!type.equals("ExternalName")) {
                String requested = spec.path("clusterIP").asString("");
                if (!requested.equals("None")) {
                    long ip = requested.isEmpty() ? takeIp(service, dryRun) : takeRequestedIp(service, requested, dryRun);
                    takenIps.add(ip);
                    spec.put("clusterIP", cidr.format(ip));
                    spec.putArray("clusterIPs").add(cidr.format(ip));
                } else {
                    spec.putArray("clusterIPs").add("None");
                }
            }
            if (type.equals("NodePort") || type.equals("LoadBalancer")) {
                for (JsonNode port : spec.path("ports")) {
                    ObjectNode p = (ObjectNode) port;
                    long number = p.path("nodePort").asLong(0);
                    if (number == 0) {
                        number = dryRun ? NODE_PORT_FIRST : ports.takeAny(owner(service), "node port");
                    } else if (!dryRun && !takeRequestedPort(service, number, p)) {
                        continue;
                    }
                    takenPorts.add(number);
                    p.put("nodePort", number);
                }
            }
        } catch (RuntimeException e) {
            if (!dryRun) {
                takenIps.forEach(ips::release);
                takenPorts.forEach(ports::release);
            }
            throw e;
        }
    }

    private long takeIp(ObjectNode service, boolean dryRun) {
        return dryRun ? cidr.firstUsable() : ips.takeAny(owner(service), "cluster IP");
    }

    private long takeRequestedIp(ObjectNode service, String requested, boolean dryRun) {
        long ip = cidr.address(requested).orElseThrow(() -> ApiException.invalid("", "Service", ObjectMeta.name(service),
                List.of(Cause.invalid("spec.clusterIPs[0]", requested,
                        "failed to allocate IP " + requested + ": the provided IP (" + requested
                                + ") is not in the valid range. The range of valid IPs is " + cidr))));
        if (!dryRun && !ips.take(ip, owner(service))) {
            throw ApiException.invalid("", "Service", ObjectMeta.name(service), List.of(Cause.invalid(
                    "spec.clusterIPs[0]", requested, "failed to allocate IP " + requested
                            + ": provided IP is already allocated")));
        }
        return ip;
    }

    private boolean takeRequestedPort(ObjectNode service, long number, ObjectNode port) {
        if (number < NODE_PORT_FIRST || number >= NODE_PORT_FIRST + NODE_PORT_COUNT) {
            throw ApiException.invalid("", "Service", ObjectMeta.name(service), List.of(Cause.invalid(
                    "spec.ports[0].nodePort", Long.toString(number), "provided port is not in the valid range. "
                            + "The range of valid ports is 30000-32767")));
        }
        if (!ports.take(number, owner(service))) {
            throw ApiException.invalid("", "Service", ObjectMeta.name(service), List.of(Cause.invalid(
                    "spec.ports[0].nodePort", Long.toString(number), "provided port is already allocated")));
        }
        return true;
    }

    @Override
    public void beforeUpdate(ObjectNode service, ObjectNode old, boolean dryRun) {
        JsonNode oldSpec = old.path("spec");
        ObjectNode spec = Json.child(service, "spec");
        String oldIp = oldSpec.path("clusterIP").asString("");
        String newIp = spec.path("clusterIP").asString("");
        if (!oldIp.isEmpty() && !oldIp.equals(newIp)) {
            throw ApiException.invalid("", "Service", ObjectMeta.name(service), List.of(Cause.invalid("spec.clusterIPs[0]",
                    newIp, "may not change once set")));
        }
        // Node ports keep what they had; new ones are allocated.
        Map<String, Long> oldPorts = new java.util.HashMap<>();
        for (JsonNode port : oldSpec.path("ports")) {
            if (port.path("nodePort").asLong(0) > 0) {
                oldPorts.put(port.path("port").asString("") + "/" + port.path("protocol").asString("TCP"),
                        port.path("nodePort").asLong());
            }
        }
        String type = spec.path("type").asString("ClusterIP");
        boolean wantsPorts = type.equals("NodePort") || type.equals("LoadBalancer");
        Set<Long> kept = new HashSet<>();
        if (wantsPorts) {
            for (JsonNode port : spec.path("ports")) {
                ObjectNode p = (ObjectNode) port;
                String id = p.path("port").asString("") + "/" + p.path("protocol").asString("TCP");
                long number = p.path("nodePort").asLong(0);
                if (number == 0 && oldPorts.containsKey(id)) {
                    number = oldPorts.get(id);
                } else if (number == 0) {
                    number = dryRun ? NODE_PORT_FIRST : ports.takeAny(owner(service), "node port");
                } else if (!oldPorts.containsValue(number) && !dryRun) {
                    takeRequestedPort(service, number, p);
                }
                kept.add(number);
                p.put("nodePort", number);
            }
        } else {
            for (JsonNode port : spec.path("ports")) {
                ((ObjectNode) port).remove("nodePort");
            }
        }
        if (!dryRun) {
            oldPorts.values().stream().filter(number -> !kept.contains(number)).forEach(ports::release);
        }
    }

    @Override
    public void createFailed(ObjectNode service) {
        afterDelete(service);
    }

    @Override
    public void afterDelete(ObjectNode service) {
        JsonNode spec = service.path("spec");
        cidr.address(spec.path("clusterIP").asString("")).ifPresent(ip -> {
            if (owner(service).equals(ips.owner(ip))) {
                ips.release(ip);
            }
        });
        for (JsonNode port : spec.path("ports")) {
            long number = port.path("nodePort").asLong(0);
            if (number > 0 && owner(service).equals(ports.owner(number))) {
                ports.release(number);
            }
        }
    }

    /**
     * Frees what no Service holds (left by a crash between allocation and store write), as upstream's repair
     * controllers do. Runs at start-up, before anything else writes.
     */
    public void repair(KeyValueStore store, ResourceDefinition services) {
        Set<String> heldIps = new HashSet<>();
        Set<String> heldPorts = new HashSet<>();
        for (KeyValue kv : store.range(RangeRequest.prefix(services.storagePrefix())).items()) {
            ObjectNode service = Json.parseStored(kv.value());
            heldIps.add(service.path("spec").path("clusterIP").asString(""));
            for (JsonNode port : service.path("spec").path("ports")) {
                heldPorts.add(port.path("nodePort").asString(""));
            }
        }
        ips.allTaken().keySet().stream().filter(ip -> !heldIps.contains(ip)).forEach(ips::releaseKey);
        ports.allTaken().keySet().stream().filter(port -> !heldPorts.contains(port)).forEach(ports::releaseKey);
    }
}

package io.k4j.proxy.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which endpoints a service port uses, as kube-proxy's CategorizeEndpoints decides: ready endpoints, or, when none
 * is ready, the serving-and-terminating ones (so connections drain during a rollout); the local set applies the
 * same rule to this node's endpoints. Sorted by address so rendering is deterministic.
 */
public record EndpointSelection(
        List<EndpointInfo> cluster,
        List<EndpointInfo> local,
        boolean usesClusterChain,
        boolean usesLocalChain,
        List<EndpointInfo> reachable,
        boolean anyEndpoints) {

    private static final Comparator<EndpointInfo> ORDER =
            Comparator.comparingLong((EndpointInfo e) -> ipv4Value(e.ip())).thenComparingInt(EndpointInfo::port);

    public static EndpointSelection of(ServicePortInfo svc, String nodeName) {
        List<EndpointInfo> cluster = usable(svc.endpoints(), e -> true);
        List<EndpointInfo> local = usable(svc.endpoints(), e -> e.isLocal(nodeName));
        boolean external = svc.externallyAccessible();
        boolean usesLocal = svc.internalPolicyLocal() || (external && svc.externalPolicyLocal());
        boolean usesCluster = !svc.internalPolicyLocal() || (external && !svc.externalPolicyLocal());
        Set<EndpointInfo> reachable = new LinkedHashSet<>();
        if (usesCluster) {
            reachable.addAll(cluster);
        }
        if (usesLocal) {
            reachable.addAll(local);
        }
        List<EndpointInfo> sorted = new ArrayList<>(reachable);
        sorted.sort(ORDER);
        return new EndpointSelection(cluster, local, usesCluster, usesLocal, List.copyOf(sorted),
                !svc.endpoints().isEmpty());
    }

    public List<EndpointInfo> forPolicy(boolean local) {
        return local ? this.local : cluster;
    }

    private static List<EndpointInfo> usable(List<EndpointInfo> all, Predicate<EndpointInfo> filter) {
        List<EndpointInfo> ready = all.stream().filter(filter).filter(EndpointInfo::ready).sorted(ORDER).toList();
        if (!ready.isEmpty()) {
            return ready;
        }
        return all.stream().filter(filter).filter(e -> e.serving() && e.terminating()).sorted(ORDER).toList();
    }

    /** The address as a number for sorting (parsed by hand: this runs inside the sort's comparisons). */
    private static long ipv4Value(String ip) {
        long value = 0;
        int part = 0;
        for (int i = 0; i < ip.length(); i++) {
            char c = ip.charAt(i);
            if (c == '.') {
                value = value * 256 + part;
                part = 0;
            } else if (c >= '0' && c <= '9') {
                part = part * 10 + (c - '0');
            } else {
                return Long.MAX_VALUE;
            }
        }
        return value * 256 + part;
    }
}

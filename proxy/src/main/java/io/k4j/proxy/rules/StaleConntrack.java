package io.k4j.proxy.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code conntrack -D} argument lists that one sync makes necessary. UDP has no connection end, so a flow
 * keeps its NAT decision: flows to an endpoint that went away would black-hole, and flows recorded while a service
 * had no endpoints (no DNAT) would never reach the new ones. Only UDP needs this, as in kube-proxy.
 */
public final class StaleConntrack {

    private StaleConntrack() {
    }

    public static List<List<String>> commands(List<ServicePortInfo> before, List<ServicePortInfo> after,
            String nodeName) {
        Map<String, ServicePortInfo> old = new HashMap<>();
        for (ServicePortInfo s : before) {
            if (udp(s)) {
                old.put(key(s), s);
            }
        }
        Set<List<String>> out = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        for (ServicePortInfo now : after) {
            if (!udp(now)) {
                continue;
            }
            seen.add(key(now));
            ServicePortInfo was = old.get(key(now));
            Set<String> nowIps = ips(EndpointSelection.of(now, nodeName).reachable());
            Set<String> wasIps = was == null ? Set.of() : ips(EndpointSelection.of(was, nodeName).reachable());
            if (wasIps.isEmpty() && !nowIps.isEmpty()) {
                for (String dst : destinations(now)) {
                    out.add(List.of("-D", "--orig-dst", dst, "-p", "udp"));
                }
                if (now.nodePort() != 0) {
                    out.add(List.of("-D", "-p", "udp", "--orig-port-dst", Integer.toString(now.nodePort())));
                }
            }
            for (String gone : wasIps) {
                if (!nowIps.contains(gone)) {
                    deleteFlowsTo(was, gone, out);
                }
            }
        }
        for (Map.Entry<String, ServicePortInfo> e : old.entrySet()) {
            if (!seen.contains(e.getKey())) {
                for (String gone : ips(EndpointSelection.of(e.getValue(), nodeName).reachable())) {
                    deleteFlowsTo(e.getValue(), gone, out);
                }
            }
        }
        return new ArrayList<>(out);
    }

    private static void deleteFlowsTo(ServicePortInfo svc, String endpointIp, Set<List<String>> out) {
        for (String dst : destinations(svc)) {
            out.add(List.of("-D", "--orig-dst", dst, "--dst-nat", endpointIp, "-p", "udp"));
        }
        if (svc.nodePort() != 0) {
            out.add(List.of("-D", "-p", "udp", "--orig-port-dst", Integer.toString(svc.nodePort()), "--dst-nat",
                    endpointIp));
        }
    }

    private static List<String> destinations(ServicePortInfo s) {
        List<String> all = new ArrayList<>();
        all.add(s.clusterIp());
        all.addAll(s.externalIps());
        all.addAll(s.loadBalancerIps());
        return all;
    }

    private static Set<String> ips(List<EndpointInfo> eps) {
        Set<String> ips = new LinkedHashSet<>();
        eps.forEach(e -> ips.add(e.ip()));
        return ips;
    }

    private static boolean udp(ServicePortInfo s) {
        return "UDP".equals(s.protocol());
    }

    private static String key(ServicePortInfo s) {
        return s.servicePortName() + "/" + s.protocol();
    }
}

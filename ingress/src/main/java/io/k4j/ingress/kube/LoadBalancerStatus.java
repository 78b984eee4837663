package io.k4j.ingress.kube;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** status.loadBalancer.ingress as we write it: one entry per node address, "ip" for literals, else "hostname". */
final class LoadBalancerStatus {

    private LoadBalancerStatus() {
    }

    static List<Map<String, String>> desired(List<String> addresses) {
        List<Map<String, String>> entries = new ArrayList<>();
        for (String address : addresses.stream().distinct().sorted().toList()) {
            Map<String, String> entry = new LinkedHashMap<>();
            entry.put(isIp(address) ? "ip" : "hostname", address);
            entries.add(entry);
        }
        return entries;
    }

    static boolean needsUpdate(Ingress ingress, List<Map<String, String>> desired) {
        List<Map<String, String>> current = new ArrayList<>();
        if (ingress.getStatus() != null && ingress.getStatus().getLoadBalancer() != null
                && ingress.getStatus().getLoadBalancer().getIngress() != null) {
            for (IngressLoadBalancerIngress entry : ingress.getStatus().getLoadBalancer().getIngress()) {
                Map<String, String> map = new LinkedHashMap<>();
                if (entry.getIp() != null) {
                    map.put("ip", entry.getIp());
                }
                if (entry.getHostname() != null) {
                    map.put("hostname", entry.getHostname());
                }
                current.add(map);
            }
        }
        return !current.equals(desired);
    }

    private static boolean isIp(String address) {
        return address.matches("[0-9.]+") || address.contains(":");
    }
}

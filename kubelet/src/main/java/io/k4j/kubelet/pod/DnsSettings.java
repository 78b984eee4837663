package io.k4j.kubelet.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import io.k4j.kubelet.runtime.SandboxConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A pod's resolv.conf from its dnsPolicy, as upstream's kubelet computes it: ClusterFirst uses the cluster DNS
 * (nameserver, search NS.svc.cluster.local svc.cluster.local cluster.local, ndots:5) when the node has one and the
 * node's resolver otherwise; Default uses the node's; None uses only dnsConfig; dnsConfig is merged into each.
 * A null result means "the node's resolv.conf" (the runtime copies it).
 */
final class DnsSettings {

    static final String CLUSTER_DOMAIN = "cluster.local";

    private DnsSettings() {
    }

    static SandboxConfig.DnsConfig forPod(Pod pod, SandboxConfig.DnsConfig clusterDns) {
        String policy = Objects.requireNonNullElse(pod.getSpec().getDnsPolicy(), "ClusterFirst");
        boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        SandboxConfig.DnsConfig base = switch (policy) {
            case "None" -> new SandboxConfig.DnsConfig(List.of(), List.of(), List.of());
            case "Default" -> null;
            case "ClusterFirstWithHostNet" -> cluster(pod, clusterDns);
            default -> hostNetwork ? null : cluster(pod, clusterDns);
        };
        PodDNSConfig extra = pod.getSpec().getDnsConfig();
        if (extra == null) {
            return base;
        }
        SandboxConfig.DnsConfig start = base != null ? base
                : new SandboxConfig.DnsConfig(List.of(), List.of(), List.of());
        List<String> nameservers = new ArrayList<>(start.nameservers());
        nameservers.addAll(Objects.requireNonNullElse(extra.getNameservers(), List.of()));
        List<String> searches = new ArrayList<>(start.searches());
        searches.addAll(Objects.requireNonNullElse(extra.getSearches(), List.of()));
        List<String> options = new ArrayList<>(start.options());
        for (PodDNSConfigOption option : Objects.requireNonNullElse(extra.getOptions(), List.<PodDNSConfigOption>of())) {
            String name = option.getName();
            options.removeIf(existing -> existing.equals(name) || existing.startsWith(name + ":"));
            options.add(option.getValue() == null ? name : name + ":" + option.getValue());
        }
        return new SandboxConfig.DnsConfig(nameservers.stream().distinct().limit(3).toList(),
                searches.stream().distinct().limit(32).toList(), options);
    }

    private static SandboxConfig.DnsConfig cluster(Pod pod, SandboxConfig.DnsConfig clusterDns) {
        if (clusterDns == null) {
            return null;
        }
        String namespace = pod.getMetadata().getNamespace();
        List<String> searches = new ArrayList<>(List.of(namespace + ".svc." + CLUSTER_DOMAIN, "svc." + CLUSTER_DOMAIN,
                CLUSTER_DOMAIN));
        searches.addAll(clusterDns.searches());
        List<String> options = clusterDns.options().isEmpty() ? List.of("ndots:5") : clusterDns.options();
        return new SandboxConfig.DnsConfig(clusterDns.nameservers(), searches, options);
    }
}

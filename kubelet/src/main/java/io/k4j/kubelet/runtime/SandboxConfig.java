package io.k4j.kubelet.runtime;

import java.util.List;
import java.util.Map;

/**
 * What a pod sandbox is made from.
 *
 * @param attempt       counts sandboxes made for the same pod (a sandbox whose network broke is replaced)
 * @param hostname      the pod's hostname (spec.hostname or the pod name), also written to /etc/hostname
 * @param hostAliases   extra /etc/hosts lines, ip to names (spec.hostAliases)
 * @param cgroupParent  the pod-level cgroup path every container goes under, e.g. /k4j/pod-UID
 * @param hostNetwork   share the node's network namespace instead of making one
 */
public record SandboxConfig(String uid, String namespace, String name, int attempt, String hostname,
        String subdomain, Map<String, String> labels, Map<String, String> annotations, List<PortMapping> portMappings,
        DnsConfig dns, Map<String, List<String>> hostAliases, String cgroupParent, boolean hostNetwork) {

    /** A hostPort: traffic to hostIp:hostPort on the node goes to containerPort in the pod (CNI portmap). */
    public record PortMapping(String protocol, int containerPort, int hostPort, String hostIp) {
    }

    /** The pod's /etc/resolv.conf; the kubelet computes it from dnsPolicy and dnsConfig. */
    public record DnsConfig(List<String> nameservers, List<String> searches, List<String> options) {
    }
}

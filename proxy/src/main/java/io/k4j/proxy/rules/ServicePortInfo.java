package io.k4j.proxy.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** One port of one Service, flattened with its endpoints: the unit kube-proxy makes a KUBE-SVC chain for. */
public record ServicePortInfo(
        String namespace,
        String name,
        String portName,
        String protocol,
        String clusterIp,
        int port,
        int nodePort,
        List<String> externalIps,
        List<String> loadBalancerIps,
        int affinityTimeoutSeconds,
        boolean externalPolicyLocal,
        boolean internalPolicyLocal,
        List<EndpointInfo> endpoints) {

    public ServicePortInfo {
        Objects.requireNonNull(namespace);
        Objects.requireNonNull(name);
        portName = portName == null ? "" : portName;
        protocol = protocol.toUpperCase(Locale.ROOT);
        externalIps = List.copyOf(externalIps);
        loadBalancerIps = List.copyOf(loadBalancerIps);
        endpoints = List.copyOf(endpoints);
    }

    /** "namespace/name:port" (or "namespace/name" for an unnamed port), kube-proxy's ServicePortName. */
    public String servicePortName() {
        return namespace + "/" + name + (portName.isEmpty() ? "" : ":" + portName);
    }

    public String lowerProtocol() {
        return protocol.toLowerCase(Locale.ROOT);
    }

    /** sessionAffinity ClientIP is on when the timeout is positive. */
    public boolean sessionAffinity() {
        return affinityTimeoutSeconds > 0;
    }

    public boolean externallyAccessible() {
        return nodePort != 0 || !externalIps.isEmpty() || !loadBalancerIps.isEmpty();
    }

    public static Builder builder(String namespace, String name) {
        return new Builder(namespace, name);
    }

    public Builder toBuilder() {
        Builder b = new Builder(namespace, name).portName(portName).protocol(protocol).clusterIp(clusterIp).port(port)
                .nodePort(nodePort).affinityTimeoutSeconds(affinityTimeoutSeconds)
                .externalPolicyLocal(externalPolicyLocal).internalPolicyLocal(internalPolicyLocal);
        b.externalIps.addAll(externalIps);
        b.loadBalancerIps.addAll(loadBalancerIps);
        b.endpoints.addAll(endpoints);
        return b;
    }

    public static final class Builder {
        private final String namespace;
        private final String name;
        private String portName = "";
        private String protocol = "TCP";
        private String clusterIp;
        private int port;
        private int nodePort;
        private final List<String> externalIps = new ArrayList<>();
        private final List<String> loadBalancerIps = new ArrayList<>();
        private int affinityTimeoutSeconds;
        private boolean externalPolicyLocal;
        private boolean internalPolicyLocal;
        private final List<EndpointInfo> endpoints = new ArrayList<>();

        private Builder(String namespace, String name) {
            this.namespace = namespace;
            this.name = name;
        }

        public Builder portName(String v) { portName = v; return this; }
        public Builder protocol(String v) { protocol = v; return this; }
        public Builder clusterIp(String v) { clusterIp = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder nodePort(int v) { nodePort = v; return this; }
        public Builder externalIp(String v) { externalIps.add(v); return this; }
        public Builder loadBalancerIp(String v) { loadBalancerIps.add(v); return this; }
        public Builder affinityTimeoutSeconds(int v) { affinityTimeoutSeconds = v; return this; }
        public Builder externalPolicyLocal(boolean v) { externalPolicyLocal = v; return this; }
        public Builder internalPolicyLocal(boolean v) { internalPolicyLocal = v; return this; }
        public Builder endpoint(EndpointInfo v) { endpoints.add(v); return this; }
        public Builder endpoints(List<EndpointInfo> v) { endpoints.clear(); endpoints.addAll(v); return this; }

        public ServicePortInfo build() {
            return new ServicePortInfo(namespace, name, portName, protocol, clusterIp, port, nodePort, externalIps,
                    loadBalancerIps, affinityTimeoutSeconds, externalPolicyLocal, internalPolicyLocal, endpoints);
        }
    }
}

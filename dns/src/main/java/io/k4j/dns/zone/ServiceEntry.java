package io.k4j.dns.zone;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/** What DNS needs to know of a Service. Names are kept in lower case because DNS comparisons are case-insensitive. */
public record ServiceEntry(String namespace, String name, Kind kind, List<InetAddress> clusterIps,
        String externalName, List<PortEntry> ports, boolean publishNotReadyAddresses) {

    public enum Kind { CLUSTER_IP, HEADLESS, EXTERNAL_NAME }

    public ServiceEntry {
        namespace = namespace.toLowerCase(Locale.ROOT);
        name = name.toLowerCase(Locale.ROOT);
        clusterIps = List.copyOf(clusterIps);
        ports = List.copyOf(ports);
    }

    public static ServiceEntry clusterIp(String namespace, String name, List<InetAddress> ips, List<PortEntry> ports) {
        return new ServiceEntry(namespace, name, Kind.CLUSTER_IP, ips, null, ports, false);
    }

    public static ServiceEntry headless(String namespace, String name, List<PortEntry> ports,
            boolean publishNotReadyAddresses) {
        return new ServiceEntry(namespace, name, Kind.HEADLESS, List.of(), null, ports, publishNotReadyAddresses);
    }

    public static ServiceEntry externalName(String namespace, String name, String externalName) {
        return new ServiceEntry(namespace, name, Kind.EXTERNAL_NAME, List.of(), externalName, List.of(), false);
    }

    ServiceKey key() {
        return new ServiceKey(namespace, name);
    }
}

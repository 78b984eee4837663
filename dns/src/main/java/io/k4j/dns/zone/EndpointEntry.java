package io.k4j.dns.zone;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/**
 * One endpoint of an EndpointSlice: its addresses, its hostname (StatefulSet pods; null when unset), whether it is
 * ready, and the slice's ports (SRV records of headless services use them).
 */
public record EndpointEntry(List<InetAddress> addresses, String hostname, boolean ready, List<PortEntry> ports) {

    public EndpointEntry {
        addresses = List.copyOf(addresses);
        hostname = hostname == null || hostname.isEmpty() ? null : hostname.toLowerCase(Locale.ROOT);
        ports = List.copyOf(ports);
    }
}

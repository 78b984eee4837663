package io.k4j.dns.zone;

import java.net.InetAddress;
import java.util.List;

/** A published address of a Service's endpoint, with the DNS label naming it (hostname, or the dashed IP). */
public record EndpointAddress(InetAddress ip, String label, List<PortEntry> ports) {
}

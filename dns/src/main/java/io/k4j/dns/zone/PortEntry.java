package io.k4j.dns.zone;

import java.util.Locale;

/** A port of a Service or an EndpointSlice; only named ports get SRV records. Name and protocol are lower case. */
public record PortEntry(String name, String protocol, int port) {

    public PortEntry {
        name = name == null ? "" : name.toLowerCase(Locale.ROOT);
        protocol = protocol == null ? "tcp" : protocol.toLowerCase(Locale.ROOT);
    }

    boolean named() {
        return !name.isEmpty();
    }
}

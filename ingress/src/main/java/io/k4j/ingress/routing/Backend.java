package io.k4j.ingress.routing;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where a route sends requests: a Service port of one namespace and the ready endpoints behind it at the time the
 * table was built. {@code key} identifies the Service port across tables, so balancing state survives a rebuild.
 */
public record Backend(String key, List<InetSocketAddress> endpoints) {

    public Backend {
        endpoints = List.copyOf(endpoints);
    }

    public boolean hasEndpoints() {
        return !endpoints.isEmpty();
    }
}

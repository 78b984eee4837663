package io.k4j.ingress.proxy;

import io.k4j.ingress.routing.RouteMatch;
import io.k4j.ingress.routing.RoutingTable;
import io.k4j.ingress.routing.SecretRef;
import io.netty.handler.ssl.SslContext;
import java.util.Map;

/** What the listeners serve, swapped as a whole: the routing table and the TLS contexts of its Secrets. */
public record ServingState(RoutingTable table, Map<SecretRef, SslContext> certificates, SslContext defaultCertificate) {

    public ServingState {
        certificates = Map.copyOf(certificates);
    }

    public RouteMatch route(String authority, String requestTarget) {
        return table.route(authority, requestTarget);
    }

    /** The context for a TLS server name: its Secret's, else the default certificate. */
    public SslContext sslContextFor(String serverName) {
        if (serverName == null) {
            return defaultCertificate;
        }
        return table.certificateFor(serverName).map(certificates::get).orElse(defaultCertificate);
    }
}

package io.k4j.ingress.routing;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable snapshot of what the ingress serves: routes per host, the default backend, and which TLS Secret
 * serves which host name. The proxy reads one snapshot per request, so a new table never disturbs requests in
 * flight.
 *
 * <p>Hosts: an exact host rule beats a wildcard one, which beats rules without host; once a host group matches,
 * unmatched paths go to the default backend (as ingress-nginx's per-host servers do). Paths: the longest match by
 * path elements wins, Exact before Prefix at equal length, then the oldest Ingress.
 */
public final class RoutingTable {

    public static final RoutingTable EMPTY = new RoutingTable(Map.of(), Map.of(), List.of(), null, Map.of(),
            Set.of(), List.of());

    private final Map<String, List<Route>> exactHosts;
    private final Map<String, List<Route>> wildcardHosts;
    private final List<Route> anyHost;
    private final Backend defaultBackend;
    private final Map<String, SecretRef> certificates;
    private final Set<String> servedIngresses;
    private final List<String> problems;

    RoutingTable(Map<String, List<Route>> exactHosts, Map<String, List<Route>> wildcardHosts, List<Route> anyHost,
                 Backend defaultBackend, Map<String, SecretRef> certificates, Set<String> servedIngresses,
                 List<String> problems) {
        this.exactHosts = Map.copyOf(exactHosts);
        this.wildcardHosts = Map.copyOf(wildcardHosts);
        this.anyHost = List.copyOf(anyHost);
        this.defaultBackend = defaultBackend;
        this.certificates = Map.copyOf(certificates);
        this.servedIngresses = Set.copyOf(servedIngresses);
        this.problems = List.copyOf(problems);
    }

    /** Routes a request by its Host header (or :authority) and request target. */
    public RouteMatch route(String authority, String requestTarget) {
        String host = Hosts.normalise(authority);
        String path = Paths.ofRequestTarget(requestTarget);
        for (Route route : hostGroup(host)) {
            if (route.matches(path)) {
                return new RouteMatch.Found(route.backend());
            }
        }
        return defaultBackend == null ? RouteMatch.NOT_FOUND : new RouteMatch.Found(defaultBackend);
    }

    private List<Route> hostGroup(String host) {
        List<Route> exact = exactHosts.get(host);
        if (exact != null) {
            return exact;
        }
        String wildcard = Hosts.wildcardFor(host);
        List<Route> matched = wildcard == null ? null : wildcardHosts.get(wildcard);
        return matched != null ? matched : anyHost;
    }

    /** The TLS Secret for a TLS server name (SNI), exact names before wildcards. */
    public Optional<SecretRef> certificateFor(String serverName) {
        String host = Hosts.normalise(serverName);
        SecretRef exact = certificates.get(host);
        if (exact != null) {
            return Optional.of(exact);
        }
        String wildcard = Hosts.wildcardFor(host);
        return Optional.ofNullable(wildcard == null ? null : certificates.get(wildcard));
    }

    /** Every Secret some host is served with. */
    public Set<SecretRef> certificateSecrets() {
        return Set.copyOf(certificates.values());
    }

    /** "namespace/name" of the Ingresses of our class. */
    public Set<String> servedIngresses() {
        return servedIngresses;
    }

    /** What could not be served as written (missing Services or ports...), for logs. */
    public List<String> problems() {
        return problems;
    }
}

package io.k4j.ingress.routing;

/** An Ingress path's match type; ImplementationSpecific is matched as Prefix here. */
public enum PathType {
    EXACT, PREFIX;

    static PathType of(String pathType) {
        return "Exact".equals(pathType) ? EXACT : PREFIX;
    }
}

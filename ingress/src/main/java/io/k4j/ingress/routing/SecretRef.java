package io.k4j.ingress.routing;

/** A Secret by namespace and name. */
public record SecretRef(String namespace, String name) {

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}

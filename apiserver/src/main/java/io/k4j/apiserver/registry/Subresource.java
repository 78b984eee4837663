package io.k4j.apiserver.registry;

import java.util.List;

/**
 * A subresource such as {@code pods/status} or {@code deployments/scale}: the kind its requests and responses
 * carry, and the verbs it serves.
 */
public record Subresource(String name, String group, String version, String kind, List<String> verbs) {

    static Subresource status(String group, String version, String kind) {
        return new Subresource("status", group, version, kind, List.of("get", "patch", "update"));
    }

    static Subresource scale() {
        return new Subresource("scale", "autoscaling", "v1", "Scale", List.of("get", "patch", "update"));
    }
}

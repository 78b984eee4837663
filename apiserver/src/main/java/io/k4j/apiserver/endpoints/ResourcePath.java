package io.k4j.apiserver.endpoints;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.registry.ResourceRegistry;

/**
 * A parsed resource URL: {@code /api/v1/[namespaces/NS/]RESOURCE[/NAME[/SUBRESOURCE]]} or the same under
 * {@code /apis/GROUP/VERSION}. A namespace of "" means all namespaces (or a cluster-scoped resource).
 */
record ResourcePath(ResourceDefinition definition, String namespace, String name, String subresource) {

    /** Parses a path, or returns null if it is not a resource path at all. */
    static ResourcePath parse(String path, ResourceRegistry registry) {
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--; // trailing slashes do not count (not a regular expression: this runs on every request)
        }
        String[] parts = path.substring(0, end).split("/");
        int at;
        String group;
        String version;
        if (parts.length >= 4 && parts[1].equals("api")) {
            group = "";
            version = parts[2];
            at = 3;
        } else if (parts.length >= 5 && parts[1].equals("apis")) {
            group = parts[2];
            version = parts[3];
            at = 4;
        } else {
            return null;
        }
        String namespace = "";
        // namespaces/NS/RESOURCE...: a namespaced request, unless it addresses the namespace itself.
        if (parts.length - at >= 3 && parts[at].equals("namespaces")) {
            ResourceDefinition candidate = registry.find(group, version, parts[at + 2]).orElse(null);
            if (candidate != null && candidate.namespaced()) {
                namespace = parts[at + 1];
                at += 2;
            }
        }
        String resource = parts[at];
        ResourceDefinition definition = registry.find(group, version, resource).orElseThrow(
                () -> new ApiException(404, "NotFound", "the server could not find the requested resource"));
        String name = parts.length > at + 1 ? parts[at + 1] : "";
        String subresource = parts.length > at + 2 ? parts[at + 2] : "";
        if (parts.length > at + 3) {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }
        if (!subresource.isEmpty() && definition.subresource(subresource).isEmpty()) {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }
        return new ResourcePath(definition, namespace, name, subresource);
    }
}

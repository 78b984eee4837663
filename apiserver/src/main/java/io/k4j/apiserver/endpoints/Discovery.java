package io.k4j.apiserver.endpoints;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.http.ApiRequest;
import io.k4j.apiserver.http.Exchange;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.registry.ResourceRegistry;
import io.k4j.apiserver.registry.Subresource;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Discovery, legacy and aggregated: /api, /apis, /apis/{group}, /api/v1 and /apis/{group}/{version}. Clients that
 * ask for {@code as=APIGroupDiscoveryList} get the aggregated form (two requests for all of discovery); others
 * get the legacy lists.
 */
final class Discovery {

    static final String AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    private static final String AGGREGATED_V2BETA1 =
            "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    private final ResourceRegistry registry;
    private final String serverAddress;

    Discovery(ResourceRegistry registry, String serverAddress) {
        this.registry = registry;
        this.serverAddress = serverAddress;
    }

    /** Answers a discovery path; false if the path is not a discovery path. */
    boolean handle(ApiRequest request, Exchange exchange) {
        String path = request.path().endsWith("/") && request.path().length() > 1
                ? request.path().substring(0, request.path().length() - 1) : request.path();
        String[] parts = path.split("/");
        if (path.equals("/api")) {
            String aggregated = aggregatedType(request);
            if (aggregated != null) {
                Responses.json(exchange, 200, aggregated, aggregatedList(true, aggregated));
            } else {
                Responses.json(exchange, 200, apiVersions());
            }
            return true;
        }
        if (path.equals("/apis")) {
            String aggregated = aggregatedType(request);
            if (aggregated != null) {
                Responses.json(exchange, 200, aggregated, aggregatedList(false, aggregated));
            } else {
                Responses.json(exchange, 200, groupList());
            }
            return true;
        }
        if (path.equals("/api/v1")) {
            Responses.json(exchange, 200, resourceList("", "v1"));
            return true;
        }
        if (parts.length == 3 && parts[1].equals("apis")) {
            List<String> versions = registry.groupVersions().get(parts[2]);
            if (versions == null) {
                throw ApiException.notFound("", "groups", parts[2]);
            }
            ObjectNode group = groupNode(parts[2], versions);
            group.put("kind", "APIGroup");
            group.put("apiVersion", "v1");
            Responses.json(exchange, 200, group);
            return true;
        }
        if (parts.length == 4 && parts[1].equals("apis")) {
            if (registry.inGroupVersion(parts[2], parts[3]).isEmpty()) {
                throw ApiException.notFound("", "groupversions", parts[2] + "/" + parts[3]);
            }
            Responses.json(exchange, 200, resourceList(parts[2], parts[3]));
            return true;
        }
        return false;
    }

    /** The aggregated media type the client accepts, or null for the legacy form. */
    private static String aggregatedType(ApiRequest request) {
        String accept = request.header("accept");
        if (accept == null) {
            return null;
        }
        for (String offered : accept.split(",")) {
            String type = offered.replace(" ", "");
            if (type.contains("as=APIGroupDiscoveryList") && type.contains("g=apidiscovery.k8s.io")) {
                return type.contains("v=v2beta1") ? AGGREGATED_V2BETA1 : AGGREGATED_V2;
            }
        }
        return null;
    }

    private ObjectNode apiVersions() {
        ObjectNode versions = Json.object();
        versions.put("kind", "APIVersions");
        versions.putArray("versions").add("v1");
        ObjectNode address = versions.putArray("serverAddressByClientCIDRs").addObject();
        address.put("clientCIDR", "0.0.0.0/0");
        address.put("serverAddress", serverAddress);
        return versions;
    }

    private ObjectNode groupList() {
        ObjectNode list = Json.object();
        list.put("kind", "APIGroupList");
        list.put("apiVersion", "v1");
        ArrayNode groups = list.putArray("groups");
        registry.groupVersions().forEach((group, versions) -> {
            if (!group.isEmpty()) {
                groups.add(groupNode(group, versions));
            }
        });
        return list;
    }

    private static ObjectNode groupNode(String group, List<String> versions) {
        ObjectNode node = Json.object();
        node.put("name", group);
        ArrayNode versionNodes = node.putArray("versions");
        for (String version : versions) {
            ObjectNode v = versionNodes.addObject();
            v.put("groupVersion", group + "/" + version);
            v.put("version", version);
        }
        ObjectNode preferred = node.putObject("preferredVersion");
        preferred.put("groupVersion", group + "/" + versions.get(0));
        preferred.put("version", versions.get(0));
        return node;
    }

    private ObjectNode resourceList(String group, String version) {
        ObjectNode list = Json.object();
        list.put("kind", "APIResourceList");
        list.put("apiVersion", "v1");
        list.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode resources = list.putArray("resources");
        for (ResourceDefinition definition : registry.inGroupVersion(group, version)) {
            ObjectNode resource = resources.addObject();
            resource.put("name", definition.plural());
            resource.put("singularName", definition.singular());
            resource.put("namespaced", definition.namespaced());
            resource.put("kind", definition.kind());
            strings(resource.putArray("verbs"), definition.verbs());
            if (!definition.shortNames().isEmpty()) {
                strings(resource.putArray("shortNames"), definition.shortNames());
            }
            if (!definition.categories().isEmpty()) {
                strings(resource.putArray("categories"), definition.categories());
            }
            for (Subresource sub : definition.subresources()) {
                ObjectNode subNode = resources.addObject();
                subNode.put("name", definition.plural() + "/" + sub.name());
                subNode.put("singularName", "");
                subNode.put("namespaced", definition.namespaced());
                if (!sub.group().equals(group) || !sub.version().equals(version)) {
                    subNode.put("group", sub.group());
                    subNode.put("version", sub.version());
                }
                subNode.put("kind", sub.kind());
                strings(subNode.putArray("verbs"), sub.verbs());
            }
        }
        return list;
    }

    private ObjectNode aggregatedList(boolean core, String contentType) {
        ObjectNode list = Json.object();
        list.put("kind", "APIGroupDiscoveryList");
        list.put("apiVersion", contentType.contains("v=v2beta1") ? "apidiscovery.k8s.io/v2beta1" : "apidiscovery.k8s.io/v2");
        list.putObject("metadata");
        ArrayNode items = list.putArray("items");
        for (Map.Entry<String, List<String>> entry : registry.groupVersions().entrySet()) {
            String group = entry.getKey();
            if (core != group.isEmpty()) {
                continue;
            }
            ObjectNode item = items.addObject();
            ObjectNode metadata = item.putObject("metadata");
            if (!group.isEmpty()) {
                metadata.put("name", group);
            }
            ArrayNode versions = item.putArray("versions");
            for (String version : entry.getValue()) {
                ObjectNode versionNode = versions.addObject();
                versionNode.put("version", version);
                versionNode.put("freshness", "Current");
                ArrayNode resources = versionNode.putArray("resources");
                for (ResourceDefinition definition : registry.inGroupVersion(group, version)) {
                    resources.add(aggregatedResource(definition));
                }
            }
        }
        return list;
    }

    private static ObjectNode aggregatedResource(ResourceDefinition definition) {
        ObjectNode resource = Json.object();
        resource.put("resource", definition.plural());
        resource.put("singularResource", definition.singular());
        resource.put("scope", definition.namespaced() ? "Namespaced" : "Cluster");
        resource.set("responseKind", kind(definition.group(), definition.version(), definition.kind()));
        strings(resource.putArray("verbs"), definition.verbs());
        if (!definition.shortNames().isEmpty()) {
            strings(resource.putArray("shortNames"), definition.shortNames());
        }
        if (!definition.categories().isEmpty()) {
            strings(resource.putArray("categories"), definition.categories());
        }
        if (!definition.subresources().isEmpty()) {
            ArrayNode subresources = resource.putArray("subresources");
            for (Subresource sub : definition.subresources()) {
                ObjectNode subNode = subresources.addObject();
                subNode.put("subresource", sub.name());
                subNode.set("responseKind", kind(sub.group(), sub.version(), sub.kind()));
                strings(subNode.putArray("verbs"), sub.verbs());
            }
        }
        return resource;
    }

    private static ObjectNode kind(String group, String version, String kind) {
        ObjectNode node = Json.object();
        node.put("group", group);
        node.put("version", version);
        node.put("kind", kind);
        return node;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}

package io.k4j.controllers.discovery;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What discovery says the server serves, in each group's preferred version (custom resources included), as upstream's
 * namespace controller and garbage collector see it. Group versions whose discovery failed are listed apart, so a
 * caller can go on with the rest.
 */
public record ApiResources(List<ApiResource> resources, Map<String, String> failedGroupVersions) {

    public static ApiResources discover(KubernetesClient client) {
        List<ApiResource> resources = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        List<String> groupVersions = new ArrayList<>(List.of("v1"));
        for (APIGroup group : client.getApiGroups().getGroups()) {
            if (group.getPreferredVersion() != null) {
                groupVersions.add(group.getPreferredVersion().getGroupVersion());
            } else if (!group.getVersions().isEmpty()) {
                groupVersions.add(group.getVersions().get(0).getGroupVersion());
            }
        }
        for (String groupVersion : groupVersions) {
            try {
                APIResourceList list = client.getApiResources(groupVersion);
                if (list == null) {
                    failed.put(groupVersion, "the server could not find the requested resource");
                    continue;
                }
                for (APIResource resource : list.getResources()) {
                    if (!resource.getName().contains("/")) {
                        resources.add(of(groupVersion, resource));
                    }
                }
            } catch (RuntimeException e) {
                failed.put(groupVersion, String.valueOf(e.getMessage()));
            }
        }
        return new ApiResources(List.copyOf(resources), Map.copyOf(failed));
    }

    private static ApiResource of(String groupVersion, APIResource resource) {
        int slash = groupVersion.indexOf('/');
        String group = slash < 0 ? "" : groupVersion.substring(0, slash);
        String version = slash < 0 ? groupVersion : groupVersion.substring(slash + 1);
        return new ApiResource(group, version, resource.getKind(), resource.getName(),
                Boolean.TRUE.equals(resource.getNamespaced()),
                resource.getVerbs() == null ? List.of() : List.copyOf(resource.getVerbs()));
    }

    /** These resources plus, for group versions whose discovery failed this time, those {@code earlier} knew. */
    public ApiResources keepingFailedFrom(ApiResources earlier) {
        if (failedGroupVersions.isEmpty()) {
            return this;
        }
        List<ApiResource> merged = new ArrayList<>(resources);
        earlier.resources.stream().filter(r -> failedGroupVersions.containsKey(r.apiVersion())).forEach(merged::add);
        return new ApiResources(List.copyOf(merged), failedGroupVersions);
    }

    /** The resource of a kind in a group (any version: an ownerReference may name another version). */
    public Optional<ApiResource> byKind(String apiVersion, String kind) {
        String group = apiVersion == null || !apiVersion.contains("/") ? "" : apiVersion.substring(0, apiVersion.indexOf('/'));
        return resources.stream().filter(r -> r.group().equals(group) && r.kind().equals(kind)).findFirst();
    }
}

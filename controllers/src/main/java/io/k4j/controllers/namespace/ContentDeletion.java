package io.k4j.controllers.namespace;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.controllers.discovery.ApiResource;
import io.k4j.controllers.discovery.ApiResources;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One pass of deleting everything in a namespace, as upstream's namespaced resources deleter: every namespaced
 * resource that can be listed and deleted is, and what is left afterwards is counted (with the finalizers holding
 * it) for the namespace's conditions.
 *
 * @param discoveryFailures  group versions whose discovery failed, with why
 * @param deletionFailures   resources whose objects could not be deleted, with why
 * @param remaining          objects left per resource ("pods." for core pods), not counting resources that failed
 * @param finalizers         objects left per finalizer
 */
record ContentDeletion(Map<String, String> discoveryFailures, Map<String, String> deletionFailures,
        Map<String, Integer> remaining, Map<String, Integer> finalizers) {

    boolean done() {
        return discoveryFailures.isEmpty() && deletionFailures.isEmpty() && remaining.isEmpty();
    }

    static ContentDeletion run(KubernetesClient client, String namespace) {
        ApiResources discovered = ApiResources.discover(client);
        Map<String, String> deletionFailures = new TreeMap<>();
        Map<String, Integer> remaining = new TreeMap<>();
        Map<String, Integer> finalizers = new TreeMap<>();
        for (ApiResource resource : discovered.resources()) {
            if (!resource.namespaced() || !resource.supports("list", "delete")) {
                continue;
            }
            try {
                List<GenericKubernetesResource> left = deleteAll(client, resource, namespace);
                if (!left.isEmpty()) {
                    remaining.put(resource.groupResource(), left.size());
                    for (GenericKubernetesResource object : left) {
                        List<String> held = object.getMetadata().getFinalizers();
                        if (held != null) {
                            held.forEach(finalizer -> finalizers.merge(finalizer, 1, Integer::sum));
                        }
                    }
                }
            } catch (KubernetesClientException e) {
                deletionFailures.put(resource.groupResource(), e.getMessage());
            }
        }
        return new ContentDeletion(new TreeMap<>(discovered.failedGroupVersions()), deletionFailures, remaining,
                finalizers);
    }

    /** Deletes the resource's objects in the namespace (in the background, as upstream) and returns those left. */
    private static List<GenericKubernetesResource> deleteAll(KubernetesClient client, ApiResource resource,
            String namespace) {
        var objects = resource.operation(client).inNamespace(namespace);
        List<GenericKubernetesResource> items = objects.list().getItems();
        for (GenericKubernetesResource object : items) {
            if (object.getMetadata().getDeletionTimestamp() == null) {
                try {
                    objects.withName(object.getMetadata().getName())
                            .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 404 && e.getCode() != 409) {
                        throw e;
                    }
                }
            }
        }
        return items.isEmpty() ? List.of() : objects.list().getItems();
    }
}

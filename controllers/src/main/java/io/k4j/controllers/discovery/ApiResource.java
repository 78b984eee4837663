package io.k4j.controllers.discovery;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;

/** One resource as discovery describes it (a preferred version of its group; no subresources). */
public record ApiResource(String group, String version, String kind, String plural, boolean namespaced,
        List<String> verbs) {

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** "pods" for the core group, "deployments.apps" otherwise: how upstream names a resource in messages. */
    public String groupResource() {
        return plural + "." + group;
    }

    public boolean supports(String... wanted) {
        for (String verb : wanted) {
            if (!verbs.contains(verb)) {
                return false;
            }
        }
        return true;
    }

    /** Generic reads and writes of this resource. */
    public MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            operation(KubernetesClient client) {
        return client.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup(group)
                .withVersion(version).withKind(kind).withPlural(plural).withNamespaced(namespaced).build());
    }

    @Override
    public String toString() {
        return group.isEmpty() ? plural : plural + "." + group;
    }
}

package io.k4j.apiserver.registry;

import java.util.ArrayList;
import java.util.List;

/** The built-in resources k4j serves, with upstream's names, short names, categories and subresources. */
final class BuiltinResources {

    private final List<ResourceDefinition> all = new ArrayList<>();

    private BuiltinResources() {
    }

    static List<ResourceDefinition> definitions() {
        BuiltinResources r = new BuiltinResources();
        // core/v1
        r.add("", "v1", "Namespace", "namespaces", false, List.of("ns"), List.of(), "status",
                new Subresource("finalize", "", "v1", "Namespace", List.of("update")));
        r.add("", "v1", "Pod", "pods", true, List.of("po"), List.of("all"), "status",
                new Subresource("binding", "", "v1", "Binding", List.of("create")),
                new Subresource("eviction", "policy", "v1", "Eviction", List.of("create")),
                new Subresource("log", "", "v1", "Pod", List.of("get")),
                new Subresource("exec", "", "v1", "PodExecOptions", List.of("create", "get")),
                new Subresource("attach", "", "v1", "PodAttachOptions", List.of("create", "get")),
                new Subresource("portforward", "", "v1", "PodPortForwardOptions", List.of("create", "get")));
        r.add("", "v1", "Service", "services", true, List.of("svc"), List.of("all"), "status");
        r.add("", "v1", "Endpoints", "endpoints", true, List.of("ep"), List.of());
        r.add("", "v1", "ConfigMap", "configmaps", true, List.of("cm"), List.of());
        r.add("", "v1", "Secret", "secrets", true, List.of(), List.of());
        r.add("", "v1", "ServiceAccount", "serviceaccounts", true, List.of("sa"), List.of(),
                new Subresource("token", "authentication.k8s.io", "v1", "TokenRequest", List.of("create")));
        r.add("", "v1", "Node", "nodes", false, List.of("no"), List.of(), "status");
        r.add("", "v1", "Event", "events", true, List.of("ev"), List.of());
        r.add("", "v1", "LimitRange", "limitranges", true, List.of("limits"), List.of());
        r.add("", "v1", "ResourceQuota", "resourcequotas", true, List.of("quota"), List.of(), "status");
        r.add("", "v1", "PersistentVolume", "persistentvolumes", false, List.of("pv"), List.of(), "status");
        r.add("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true, List.of("pvc"), List.of(), "status");
        r.add("", "v1", "ReplicationController", "replicationcontrollers", true, List.of("rc"), List.of("all"),
                "status", Subresource.scale());
        // apps/v1
        r.add("apps", "v1", "Deployment", "deployments", true, List.of("deploy"), List.of("all"), "status",
                Subresource.scale());
        r.add("apps", "v1", "ReplicaSet", "replicasets", true, List.of("rs"), List.of("all"), "status",
                Subresource.scale());
        r.add("apps", "v1", "StatefulSet", "statefulsets", true, List.of("sts"), List.of("all"), "status",
                Subresource.scale());
        r.add("apps", "v1", "DaemonSet", "daemonsets", true, List.of("ds"), List.of("all"), "status");
        r.add("apps", "v1", "ControllerRevision", "controllerrevisions", true, List.of(), List.of());
        // batch/v1
        r.add("batch", "v1", "Job", "jobs", true, List.of(), List.of("all"), "status");
        r.add("batch", "v1", "CronJob", "cronjobs", true, List.of("cj"), List.of("all"), "status");
        // others
        r.add("coordination.k8s.io", "v1", "Lease", "leases", true, List.of(), List.of());
        r.add("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true, List.of(), List.of());
        r.add("events.k8s.io", "v1", "Event", "events", true, List.of("ev"), List.of());
        r.add("networking.k8s.io", "v1", "Ingress", "ingresses", true, List.of("ing"), List.of(), "status");
        r.add("networking.k8s.io", "v1", "IngressClass", "ingressclasses", false, List.of(), List.of());
        r.add("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true, List.of("netpol"), List.of());
        r.add("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, List.of("pdb"), List.of(), "status");
        r.add("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, List.of("hpa"),
                List.of("all"), "status");
        r.add("autoscaling", "v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, List.of("hpa"),
                List.of("all"), "status");
        r.add("rbac.authorization.k8s.io", "v1", "Role", "roles", true, List.of(), List.of());
        r.add("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true, List.of(), List.of());
        r.add("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false, List.of(), List.of());
        r.add("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false, List.of(), List.of());
        r.add("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", false, List.of("pc"), List.of());
        r.add("storage.k8s.io", "v1", "StorageClass", "storageclasses", false, List.of("sc"), List.of());
        // create-only reviews, answered without being stored
        r.createOnly("authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews", false);
        r.createOnly("authentication.k8s.io", "v1", "TokenReview", "tokenreviews", false);
        r.createOnly("authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", false);
        r.createOnly("authorization.k8s.io", "v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews", false);
        r.createOnly("authorization.k8s.io", "v1", "SubjectAccessReview", "subjectaccessreviews", false);
        r.createOnly("authorization.k8s.io", "v1", "LocalSubjectAccessReview", "localsubjectaccessreviews", true);
        return List.copyOf(r.all);
    }

    /** Adds a resource whose only verb is create: a question the server answers, nothing it keeps. */
    private void createOnly(String group, String version, String kind, String plural, boolean namespaced) {
        all.add(new ResourceDefinition(group, version, kind, plural, kind.toLowerCase(java.util.Locale.ROOT),
                List.of(), List.of(), namespaced, List.of("create"), List.of(), null));
    }

    /** Adds a resource; "status" among the extras adds the status subresource of the resource's own kind. */
    private void add(String group, String version, String kind, String plural, boolean namespaced,
                     List<String> shortNames, List<String> categories, Object... extras) {
        List<Subresource> subresources = new ArrayList<>();
        for (Object extra : extras) {
            if ("status".equals(extra)) {
                subresources.add(Subresource.status(group, version, kind));
            } else {
                subresources.add((Subresource) extra);
            }
        }
        all.add(new ResourceDefinition(group, version, kind, plural, kind.toLowerCase(java.util.Locale.ROOT),
                shortNames, categories, namespaced, ResourceDefinition.ALL_VERBS, List.copyOf(subresources), null));
    }
}

package io.k4j.apiserver.schema;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ComponentStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.LimitRangeSpec;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.NamespaceSpec;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.PersistentVolumeSpec;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.ReplicationControllerStatus;
import io.fabric8.kubernetes.api.model.ResourceQuotaSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceStatus;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatus;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Upstream's merge semantics for the fields of built-in kinds, keyed by the fabric8 model class that holds the field
 * (the counterpart of the Go struct that carries the tags) and the field's JSON name. Strategic merge patch, server-side
 * apply and the OpenAPI documents all read this one table.
 *
 * <p>The values restate the {@code patchStrategy}/{@code patchMergeKey} struct tags and the {@code +listType}/
 * {@code +listMapKey} markers of the k8s.io/api types. A list field absent from the table is atomic and replaced
 * whole by a strategic merge patch.
 */
public final class FieldSemantics {

    /** One row of the list table. */
    public record Entry(Class<?> owner, String jsonName, ListSemantics semantics) {
    }

    /** owner class → JSON field name → list semantics. */
    private static final Map<Class<?>, Map<String, ListSemantics>> LISTS;

    /** owner class → JSON field names whose struct value has patchStrategy retainKeys. */
    private static final Map<Class<?>, Set<String>> RETAIN_KEYS_STRUCTS;

    static {
        Table t = new Table();

        // meta/v1 ObjectMeta (shared by every kind)
        t.mergeMap(ObjectMeta.class, "ownerReferences", "uid");
        t.mergeSet(ObjectMeta.class, "finalizers");
        t.atomic(ObjectMeta.class, "managedFields");
        t.atomic(LabelSelector.class, "matchExpressions");
        t.atomic(LabelSelectorRequirement.class, "values");

        // core/v1 Pod
        t.put(PodSpec.class, "volumes", "merge,retainKeys", "name", "map", "name");
        t.mergeMap(PodSpec.class, "initContainers", "name");
        t.mergeMap(PodSpec.class, "containers", "name");
        t.mergeMap(PodSpec.class, "ephemeralContainers", "name");
        t.mergeMap(PodSpec.class, "imagePullSecrets", "name");
        t.mergeMap(PodSpec.class, "hostAliases", "ip");
        t.put(PodSpec.class, "topologySpreadConstraints", "merge", "topologyKey", "map", "topologyKey",
                "whenUnsatisfiable");
        t.put(PodSpec.class, "resourceClaims", "merge,retainKeys", "name", "map", "name");
        t.mergeMap(PodSpec.class, "schedulingGates", "name");
        t.atomic(PodSpec.class, "tolerations", "readinessGates");
        t.atomic(PodSecurityContext.class, "supplementalGroups", "sysctls");
        t.atomic(TopologySpreadConstraint.class, "matchLabelKeys");
        t.atomic(NodeSelector.class, "nodeSelectorTerms");
        t.atomic(NodeSelectorRequirement.class, "values");
        for (Class<?> container : List.of(Container.class, EphemeralContainer.class)) {
            t.put(container, "ports", "merge", "containerPort", "map", "containerPort", "protocol");
            t.mergeMap(container, "env", "name");
            t.mergeMap(container, "volumeMounts", "mountPath");
            t.mergeMap(container, "volumeDevices", "devicePath");
            t.atomic(container, "command", "args", "envFrom", "resizePolicy");
        }
        t.atomic(Capabilities.class, "add", "drop");
        t.put(ResourceRequirements.class, "claims", null, null, "map", "name");
        t.mergeMap(PodStatus.class, "conditions", "type");
        t.mergeMap(PodStatus.class, "podIPs", "ip");
        t.put(PodStatus.class, "hostIPs", "merge", "ip", "atomic");
        t.atomic(PodStatus.class, "initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses");
        t.put(PodStatus.class, "resourceClaimStatuses", "merge,retainKeys", "name", "map", "name");
        t.mergeMap(ContainerStatus.class, "volumeMounts", "mountPath");
        t.mergeMap(ContainerStatus.class, "allocatedResourcesStatus", "name");
        t.put(ResourceStatus.class, "resources", null, null, "map", "resourceID");

        // core/v1 Node
        t.mergeSet(NodeSpec.class, "podCIDRs");
        t.atomic(NodeSpec.class, "taints");
        t.mergeMap(NodeStatus.class, "conditions", "type");
        // Declared mergeable by type, but the key is not unique: atomic for apply.
        t.put(NodeStatus.class, "addresses", "merge", "type", "atomic");
        t.atomic(NodeStatus.class, "images", "volumesInUse", "volumesAttached");

        // core/v1 Service, Endpoints, ServiceAccount
        t.put(ServiceSpec.class, "ports", "merge", "port", "map", "port", "protocol");
        t.atomic(ServiceSpec.class, "clusterIPs", "externalIPs", "loadBalancerSourceRanges", "ipFamilies");
        t.mergeMap(ServiceStatus.class, "conditions", "type");
        t.atomic(LoadBalancerStatus.class, "ingress");
        t.atomic(Endpoints.class, "subsets");
        t.atomic(EndpointSubset.class, "addresses", "notReadyAddresses", "ports");
        // Tagged for strategic merge only; no list type is declared (atomic for apply).
        t.put(ServiceAccount.class, "secrets", "merge", "name", null);

        // core/v1 other kinds
        t.atomic(NamespaceSpec.class, "finalizers");
        t.mergeMap(NamespaceStatus.class, "conditions", "type");
        t.atomic(PersistentVolumeClaimSpec.class, "accessModes");
        t.mergeMap(PersistentVolumeClaimStatus.class, "conditions", "type");
        t.atomic(PersistentVolumeClaimStatus.class, "accessModes");
        t.atomic(PersistentVolumeSpec.class, "accessModes", "mountOptions");
        t.mergeMap(ReplicationControllerStatus.class, "conditions", "type");
        t.atomic(LimitRangeSpec.class, "limits");
        t.atomic(ResourceQuotaSpec.class, "scopes");
        t.mergeMap(ComponentStatus.class, "conditions", "type");

        // apps/v1
        t.mergeMap(DeploymentStatus.class, "conditions", "type");
        t.mergeMap(DaemonSetStatus.class, "conditions", "type");
        t.mergeMap(StatefulSetStatus.class, "conditions", "type");
        t.mergeMap(ReplicaSetStatus.class, "conditions", "type");
        t.atomic(StatefulSetSpec.class, "volumeClaimTemplates");

        // batch/v1: conditions merge by type but are atomic for apply
        t.put(JobStatus.class, "conditions", "merge", "type", "atomic");
        t.atomic(CronJobStatus.class, "active");

        // autoscaling/v2, policy/v1
        t.mergeMap(HorizontalPodAutoscalerStatus.class, "conditions", "type");
        t.atomic(HorizontalPodAutoscalerStatus.class, "currentMetrics");
        t.atomic(HorizontalPodAutoscalerSpec.class, "metrics");
        t.mergeMap(PodDisruptionBudgetStatus.class, "conditions", "type");

        // networking/v1, discovery/v1
        t.atomic(IngressSpec.class, "rules", "tls");
        t.atomic(NetworkPolicySpec.class, "ingress", "egress", "policyTypes");
        t.atomic(EndpointSlice.class, "endpoints", "ports");
        t.put(Endpoint.class, "addresses", null, null, "set");

        // rbac/v1, storage/v1
        t.atomic(Role.class, "rules");
        t.atomic(ClusterRole.class, "rules");
        t.atomic(RoleBinding.class, "subjects");
        t.atomic(ClusterRoleBinding.class, "subjects");
        t.atomic(PolicyRule.class, "apiGroups", "resources", "resourceNames", "verbs", "nonResourceURLs");
        t.atomic(StorageClass.class, "mountOptions", "allowedTopologies");

        LISTS = t.freeze();

        Map<Class<?>, Set<String>> retain = new LinkedHashMap<>();
        retain.put(DeploymentSpec.class, Set.of("strategy"));
        RETAIN_KEYS_STRUCTS = Collections.unmodifiableMap(retain);
    }

    private FieldSemantics() {
    }

    /** The semantics of list field {@code jsonName} of {@code owner}, when upstream declares any. */
    public static Optional<ListSemantics> list(Class<?> owner, String jsonName) {
        return Optional.ofNullable(LISTS.getOrDefault(owner, Map.of()).get(jsonName));
    }

    /** Whether struct field {@code jsonName} of {@code owner} is tagged patchStrategy:"retainKeys". */
    public static boolean retainsKeys(Class<?> owner, String jsonName) {
        return RETAIN_KEYS_STRUCTS.getOrDefault(owner, Set.of()).contains(jsonName);
    }

    /** Every list row of the table, in declaration order (for tests and for generating documents). */
    public static List<Entry> entries() {
        List<Entry> all = new ArrayList<>();
        LISTS.forEach((owner, fields) -> fields.forEach((name, semantics) -> all.add(new Entry(owner, name, semantics))));
        return List.copyOf(all);
    }

    /** Every struct field tagged retainKeys: owner class → JSON field names. */
    public static Map<Class<?>, Set<String>> retainKeysFields() {
        return RETAIN_KEYS_STRUCTS;
    }

    /** Collects rows while the static initializer runs. */
    private static final class Table {
        private final Map<Class<?>, Map<String, ListSemantics>> rows = new LinkedHashMap<>();

        void put(Class<?> owner, String field, String strategy, String mergeKey, String listType, String... mapKeys) {
            ListSemantics previous = rows.computeIfAbsent(owner, k -> new LinkedHashMap<>())
                    .put(field, new ListSemantics(strategy, mergeKey, listType, List.of(mapKeys)));
            if (previous != null) {
                throw new IllegalStateException("duplicate row " + owner.getSimpleName() + "." + field);
            }
        }

        /** patchStrategy merge by {@code key}, listType map keyed by the same field. */
        void mergeMap(Class<?> owner, String field, String key) {
            put(owner, field, "merge", key, "map", key);
        }

        /** A list of scalars with patchStrategy merge and listType set. */
        void mergeSet(Class<?> owner, String field) {
            put(owner, field, "merge", null, "set");
        }

        void atomic(Class<?> owner, String... fields) {
            for (String field : fields) {
                put(owner, field, null, null, "atomic");
            }
        }

        Map<Class<?>, Map<String, ListSemantics>> freeze() {
            Map<Class<?>, Map<String, ListSemantics>> frozen = new LinkedHashMap<>();
            rows.forEach((owner, fields) -> frozen.put(owner, Collections.unmodifiableMap(new LinkedHashMap<>(fields))));
            return Collections.unmodifiableMap(frozen);
        }
    }
}

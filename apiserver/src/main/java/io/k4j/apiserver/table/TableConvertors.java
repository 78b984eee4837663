package io.k4j.apiserver.table;

import static java.util.Map.entry;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The table convertor for a kind. Built-in kinds that upstream prints specially get their own; other built-in kinds
 * (Role, ClusterRole, LimitRange, CustomResourceDefinition...) get the API server's generic "Name, Created At"
 * table; anything else, such as a custom resource, gets the "Name, Age" table of a CRD without printer columns.
 */
public final class TableConvertors {

    private TableConvertors() {
    }

    /** Name and the creation time in RFC 3339, as k8s.io/apiserver's default table convertor. */
    public static final TableConvertor CREATED_AT = Table.of((object, now) -> List.of(
                    Nodes.name(object), createdAt(object)),
            Column.nameColumn(), new Column("Created At", "date", "", Column.age().description(), 0));

    /** Name and age, as a custom resource without additionalPrinterColumns. */
    public static final TableConvertor AGE = Table.of((object, now) -> List.of(
                    Nodes.name(object), Ages.of(object, now)),
            Column.nameColumn(), new Column("Age", "date", "", Column.age().description(), 0));

    private static final DateTimeFormatter RFC3339 =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private static final Map<String, TableConvertor> BY_KIND = Map.ofEntries(
            entry("/Pod", PodTable.INSTANCE),
            entry("/PodTemplate", CoreTables.POD_TEMPLATE),
            entry("/Namespace", CoreTables.NAMESPACE),
            entry("/Service", CoreTables.SERVICE),
            entry("/Endpoints", CoreTables.ENDPOINTS),
            entry("/ConfigMap", CoreTables.CONFIG_MAP),
            entry("/Secret", CoreTables.SECRET),
            entry("/ServiceAccount", CoreTables.SERVICE_ACCOUNT),
            entry("/Node", CoreTables.NODE),
            entry("/Event", EventTables.CORE),
            entry("/ResourceQuota", CoreTables.RESOURCE_QUOTA),
            entry("/PersistentVolume", CoreTables.PERSISTENT_VOLUME),
            entry("/PersistentVolumeClaim", CoreTables.PERSISTENT_VOLUME_CLAIM),
            entry("/ReplicationController", CoreTables.REPLICATION_CONTROLLER),
            entry("apps/Deployment", AppsTables.DEPLOYMENT),
            entry("apps/ReplicaSet", AppsTables.REPLICA_SET),
            entry("apps/StatefulSet", AppsTables.STATEFUL_SET),
            entry("apps/DaemonSet", AppsTables.DAEMON_SET),
            entry("apps/ControllerRevision", AppsTables.CONTROLLER_REVISION),
            entry("batch/Job", BatchTables.JOB),
            entry("batch/CronJob", BatchTables.CRON_JOB),
            entry("autoscaling/HorizontalPodAutoscaler", AutoscalingTables.HORIZONTAL_POD_AUTOSCALER),
            entry("policy/PodDisruptionBudget", OtherTables.POD_DISRUPTION_BUDGET),
            entry("coordination.k8s.io/Lease", OtherTables.LEASE),
            entry("discovery.k8s.io/EndpointSlice", NetworkingTables.ENDPOINT_SLICE),
            entry("events.k8s.io/Event", EventTables.EVENTS),
            entry("networking.k8s.io/Ingress", NetworkingTables.INGRESS),
            entry("networking.k8s.io/IngressClass", NetworkingTables.INGRESS_CLASS),
            entry("networking.k8s.io/NetworkPolicy", NetworkingTables.NETWORK_POLICY),
            entry("rbac.authorization.k8s.io/RoleBinding", OtherTables.ROLE_BINDING),
            entry("rbac.authorization.k8s.io/ClusterRoleBinding", OtherTables.CLUSTER_ROLE_BINDING),
            entry("scheduling.k8s.io/PriorityClass", OtherTables.PRIORITY_CLASS),
            entry("storage.k8s.io/StorageClass", OtherTables.STORAGE_CLASS),
            entry("admissionregistration.k8s.io/MutatingWebhookConfiguration", OtherTables.WEBHOOK_CONFIGURATION),
            entry("admissionregistration.k8s.io/ValidatingWebhookConfiguration", OtherTables.WEBHOOK_CONFIGURATION),
            entry("node.k8s.io/RuntimeClass", OtherTables.RUNTIME_CLASS));

    /** The API groups served by kube-apiserver itself, whose kinds without a printer show "Created At". */
    private static final Set<String> BUILT_IN_GROUPS = Set.of("", "apps", "batch", "autoscaling", "policy",
            "extensions", "admissionregistration.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io",
            "authentication.k8s.io", "authorization.k8s.io", "certificates.k8s.io", "coordination.k8s.io",
            "discovery.k8s.io", "events.k8s.io", "flowcontrol.apiserver.k8s.io", "internal.apiserver.k8s.io",
            "networking.k8s.io", "node.k8s.io", "rbac.authorization.k8s.io", "resource.k8s.io", "scheduling.k8s.io",
            "storage.k8s.io", "storagemigration.k8s.io");

    /** The convertor for a kind of a group ("" for core). */
    public static TableConvertor forKind(String group, String kind) {
        String key = (group == null ? "" : group) + "/" + kind;
        TableConvertor convertor = BY_KIND.get(key);
        if (convertor != null) {
            return convertor;
        }
        return BUILT_IN_GROUPS.contains(group == null ? "" : group) ? CREATED_AT : AGE;
    }

    /** The "group/Kind" keys with their own convertor. */
    static Set<String> kinds() {
        return BY_KIND.keySet();
    }

    /** Go's time.RFC3339 of the creation time in UTC; the zero time for none. */
    private static String createdAt(JsonNode object) {
        Instant created = Nodes.instant(object, "metadata", "creationTimestamp");
        return created == null ? "0001-01-01T00:00:00Z" : RFC3339.format(created);
    }
}

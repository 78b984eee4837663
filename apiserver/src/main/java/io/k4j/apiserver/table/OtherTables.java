package io.k4j.apiserver.table;

import static io.k4j.apiserver.table.Nodes.at;
import static io.k4j.apiserver.table.Nodes.name;
import static io.k4j.apiserver.table.Nodes.string;
import static io.k4j.apiserver.table.Table.AGE;
import static io.k4j.apiserver.table.Table.NAME;
import static io.k4j.apiserver.table.Table.column;
import static io.k4j.apiserver.table.Table.integer;
import static io.k4j.apiserver.table.Table.text;
import static io.k4j.apiserver.table.Table.wide;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Coordination, policy, RBAC, scheduling, storage, admission registration and node kinds. */
final class OtherTables {

    private OtherTables() {
    }

    static final TableConvertor LEASE = Table.of((lease, now) -> List.of(
                    name(lease), string(lease, "spec", "holderIdentity"), Ages.of(lease, now)),
            NAME, text("Holder", "holderIdentity contains the identity of the holder of a current lease."),
            AGE);

    static final TableConvertor POD_DISRUPTION_BUDGET = Table.of((pdb, now) -> {
        JsonNode spec = pdb.path("spec");
        return List.of(name(pdb), intOrNotApplicable(spec.path("minAvailable")),
                intOrNotApplicable(spec.path("maxUnavailable")), Nodes.number(pdb, "status", "disruptionsAllowed"),
                Ages.of(pdb, now));
    }, NAME, text("Min Available", "The minimum number of pods that must be available."),
            text("Max Unavailable", "The maximum number of pods that may be unavailable."),
            integer("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time."),
            AGE);

    static final TableConvertor ROLE_BINDING = binding("roleBinding");
    static final TableConvertor CLUSTER_ROLE_BINDING = binding("clusterRoleBinding");

    /** RoleBinding and ClusterRoleBinding: the role, then users, groups and service accounts for -o wide. */
    private static TableConvertor binding(String kind) {
        return Table.of((binding, now) -> {
            List<String> users = new ArrayList<>();
            List<String> groups = new ArrayList<>();
            List<String> serviceAccounts = new ArrayList<>();
            for (JsonNode subject : Nodes.items(binding, "subjects")) {
                switch (string(subject, "kind")) {
                    case "ServiceAccount" ->
                            serviceAccounts.add(string(subject, "namespace") + "/" + string(subject, "name"));
                    case "User" -> users.add(string(subject, "name"));
                    case "Group" -> groups.add(string(subject, "name"));
                    default -> {
                    }
                }
            }
            JsonNode roleRef = binding.path("roleRef");
            return List.of(name(binding), string(roleRef, "kind") + "/" + string(roleRef, "name"),
                    Ages.of(binding, now), String.join(", ", users), String.join(", ", groups),
                    String.join(", ", serviceAccounts));
        }, NAME, text("Role", "RoleRef can reference a Role in the current namespace or a ClusterRole in the "
                        + "global namespace."), AGE,
                wide("Users", "Users in the " + kind), wide("Groups", "Groups in the " + kind),
                wide("ServiceAccounts", "ServiceAccounts in the " + kind));
    }

    static final TableConvertor PRIORITY_CLASS = Table.of((pc, now) -> List.of(
                    name(pc), Nodes.number(pc, "value"), Nodes.isTrue(pc, "globalDefault"), Ages.of(pc, now),
                    string(pc, "preemptionPolicy")),
            NAME, integer("Value", "value represents the integer value of this priority class."),
            column("Global-Default", "boolean", "globalDefault specifies whether this PriorityClass should be "
                    + "considered as the default priority for pods that do not have any priority class."),
            AGE, text("PreemptionPolicy", "preemptionPolicy is the Policy for preempting pods with lower "
                    + "priority."));

    static final TableConvertor STORAGE_CLASS = Table.of((sc, now) -> {
        String name = isDefaultClass(sc) ? name(sc) + " (default)" : name(sc);
        return List.of(name, string(sc, "provisioner"), Nodes.textOr(sc, "Delete", "reclaimPolicy"),
                Nodes.textOr(sc, "Immediate", "volumeBindingMode"), Nodes.isTrue(sc, "allowVolumeExpansion"),
                Ages.of(sc, now));
    }, NAME, text("Provisioner", "provisioner indicates the type of the provisioner."),
            text("ReclaimPolicy", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned "
                    + "PersistentVolumes of this storage class."),
            text("VolumeBindingMode", "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned "
                    + "and bound."),
            text("AllowVolumeExpansion", "allowVolumeExpansion shows whether the storage class allow volume expand."),
            AGE);

    /** MutatingWebhookConfiguration and ValidatingWebhookConfiguration. */
    static final TableConvertor WEBHOOK_CONFIGURATION = Table.of((config, now) -> List.of(
                    name(config), (long) Nodes.size(config, "webhooks"), Ages.of(config, now)),
            NAME, integer("Webhooks", "Webhooks indicates the number of webhooks registered in this "
                    + "configuration"), AGE);

    static final TableConvertor RUNTIME_CLASS = Table.of((rc, now) -> List.of(
                    name(rc), string(rc, "handler"), Ages.of(rc, now)),
            NAME, text("Handler", "handler specifies the underlying runtime and configuration that the CRI "
                    + "implementation will use to handle pods of this class."), AGE);

    private static String intOrNotApplicable(JsonNode value) {
        return value.isNumber() || value.isString() ? Nodes.intOrString(value) : "N/A";
    }

    /** The is-default-class annotation (or its beta form) set to "true". */
    private static boolean isDefaultClass(JsonNode sc) {
        JsonNode annotations = at(sc, "metadata", "annotations");
        return "true".equals(Nodes.text(annotations, "storageclass.kubernetes.io/is-default-class"))
                || "true".equals(Nodes.text(annotations, "storageclass.beta.kubernetes.io/is-default-class"));
    }
}

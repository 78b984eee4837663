package io.k4j.apiserver.openapi;

import java.util.Locale;
import java.util.Map;

/**
 * Descriptions for the schemas, in our own words: one sentence per served kind, and for everything else a sentence
 * made from the type's structure (its name, whether it is a list or map, and notes for int-or-string and times), so
 * that {@code kubectl explain} has something to print.
 */
final class Descriptions {

    private static final Map<String, String> KINDS = Map.ofEntries(
            Map.entry("Namespace", "A namespace groups namespaced objects and scopes their names."),
            Map.entry("Pod", "A pod is a group of containers that run together on one node."),
            Map.entry("Service", "A service gives a stable address to a set of pods chosen by a label selector."),
            Map.entry("Endpoints", "Endpoints list the addresses and ports that back a service."),
            Map.entry("ConfigMap", "A config map holds non-secret configuration as key/value pairs."),
            Map.entry("Secret", "A secret holds sensitive data such as passwords, tokens or keys."),
            Map.entry("ServiceAccount", "A service account is an identity for processes that run in pods."),
            Map.entry("Node", "A node is a machine that runs pods."),
            Map.entry("Event", "An event records something that happened to an object in the cluster."),
            Map.entry("LimitRange", "A limit range sets default and maximum resource use per object in a namespace."),
            Map.entry("ResourceQuota", "A resource quota caps the total resources a namespace may use."),
            Map.entry("PersistentVolume", "A persistent volume is a piece of storage provisioned for the cluster."),
            Map.entry("PersistentVolumeClaim", "A persistent volume claim is a request for storage by a user."),
            Map.entry("ReplicationController", "A replication controller keeps a number of pod copies running."),
            Map.entry("Deployment", "A deployment rolls out and scales a set of identical pods through replica sets."),
            Map.entry("ReplicaSet", "A replica set keeps a given number of pods matching its selector running."),
            Map.entry("StatefulSet", "A stateful set runs pods with stable names and storage, in order."),
            Map.entry("DaemonSet", "A daemon set runs one copy of a pod on each eligible node."),
            Map.entry("ControllerRevision", "A controller revision is an immutable snapshot of a controller's state."),
            Map.entry("Job", "A job runs pods until a number of them finish successfully."),
            Map.entry("CronJob", "A cron job creates jobs on a repeating schedule."),
            Map.entry("Lease", "A lease is a time-limited claim, used for leader election and node heartbeats."),
            Map.entry("EndpointSlice", "An endpoint slice lists a subset of the network endpoints of a service."),
            Map.entry("Ingress", "An ingress routes external HTTP traffic to services by host and path."),
            Map.entry("IngressClass", "An ingress class names the controller that implements a kind of ingress."),
            Map.entry("NetworkPolicy", "A network policy states which traffic may reach or leave selected pods."),
            Map.entry("PodDisruptionBudget", "A pod disruption budget limits how many pods voluntary evictions may "
                    + "take down at once."),
            Map.entry("HorizontalPodAutoscaler", "A horizontal pod autoscaler changes a workload's replica count "
                    + "to follow observed metrics."),
            Map.entry("Role", "A role is a set of permissions within one namespace."),
            Map.entry("RoleBinding", "A role binding grants the permissions of a role to users, groups or "
                    + "service accounts in a namespace."),
            Map.entry("ClusterRole", "A cluster role is a set of permissions that applies cluster-wide or in any "
                    + "namespace."),
            Map.entry("ClusterRoleBinding", "A cluster role binding grants a cluster role to subjects across the "
                    + "whole cluster."),
            Map.entry("PriorityClass", "A priority class maps a name to a scheduling priority for pods."),
            Map.entry("StorageClass", "A storage class describes a kind of storage that volumes can be "
                    + "provisioned from."),
            Map.entry("Scale", "A scale reads or sets the replica count of a scalable resource."),
            Map.entry("Binding", "A binding assigns a pod to a node."),
            Map.entry("Eviction", "An eviction asks to remove a pod, subject to disruption budgets."),
            Map.entry("ObjectMeta", "Metadata every persisted object has: name, namespace, labels, annotations "
                    + "and fields the server maintains."),
            Map.entry("ListMeta", "Metadata of a list: the resource version and the continue token for paging."),
            Map.entry("Status", "The outcome of a request that returns no object, usually an error."),
            Map.entry("DeleteOptions", "Options for a delete request."),
            Map.entry("WatchEvent", "One change reported by a watch."));

    private Descriptions() {
    }

    /** The description of a named model type. */
    static String type(String simpleName) {
        String known = KINDS.get(simpleName);
        if (known != null) {
            return known;
        }
        if (simpleName.endsWith("List") && KINDS.containsKey(simpleName.substring(0, simpleName.length() - 4))) {
            return "A list of " + simpleName.substring(0, simpleName.length() - 4) + " objects.";
        }
        return capitalized(words(simpleName)) + ".";
    }

    /** A field's description: its name in words, and what its value is. */
    static String field(String jsonName, String valueText) {
        return switch (jsonName) {
            case "apiVersion" -> "The versioned schema of this object, as group/version.";
            case "kind" -> "The kind of this object, in CamelCase.";
            case "metadata" -> "Standard metadata of the object.";
            case "spec" -> "The desired state.";
            case "status" -> "The observed state, maintained by the system.";
            default -> capitalized(words(jsonName)) + ": " + valueText + ".";
        };
    }

    /** "restartPolicy" becomes "restart policy"; runs of capitals stay together ("podIPs" → "pod IPs"). */
    static String words(String camel) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            boolean upper = Character.isUpperCase(c);
            boolean prevLower = i > 0 && !Character.isUpperCase(camel.charAt(i - 1));
            boolean nextLower = i + 1 < camel.length() && Character.isLowerCase(camel.charAt(i + 1));
            boolean prevUpper = i > 0 && Character.isUpperCase(camel.charAt(i - 1));
            if (i > 0 && upper && (prevLower || prevUpper && nextLower && camel.charAt(i + 1) != 's')) {
                out.append(' ');
            }
            boolean acronym = upper && (i + 1 < camel.length() && Character.isUpperCase(camel.charAt(i + 1)) || prevUpper);
            out.append(upper && !acronym && i > 0 ? Character.toLowerCase(c) : c);
        }
        return out.toString();
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
    }
}

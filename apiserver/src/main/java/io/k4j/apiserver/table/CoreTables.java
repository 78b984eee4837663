package io.k4j.apiserver.table;

import static io.k4j.apiserver.table.Nodes.at;
import static io.k4j.apiserver.table.Nodes.items;
import static io.k4j.apiserver.table.Nodes.name;
import static io.k4j.apiserver.table.Nodes.string;
import static io.k4j.apiserver.table.Table.AGE;
import static io.k4j.apiserver.table.Table.CONTAINERS;
import static io.k4j.apiserver.table.Table.IMAGES;
import static io.k4j.apiserver.table.Table.NAME;
import static io.k4j.apiserver.table.Table.integer;
import static io.k4j.apiserver.table.Table.text;
import static io.k4j.apiserver.table.Table.wide;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/** The core/v1 kinds other than Pod and Event. */
final class CoreTables {

    private CoreTables() {
    }

    static final TableConvertor NAMESPACE = Table.of((ns, now) -> List.of(
                    name(ns), string(ns, "status", "phase"), Ages.of(ns, now)),
            NAME, text("Status", "The status of the namespace"), AGE);

    static final TableConvertor CONFIG_MAP = Table.of((cm, now) -> List.of(
                    name(cm), (long) (Nodes.size(cm, "data") + Nodes.size(cm, "binaryData")), Ages.of(cm, now)),
            NAME, text("Data", "Data contains the configuration data."), AGE);

    static final TableConvertor SECRET = Table.of((secret, now) -> List.of(
                    name(secret), Nodes.textOr(secret, "Opaque", "type"), (long) Nodes.size(secret, "data"),
                    Ages.of(secret, now)),
            NAME, text("Type", "Used to facilitate programmatic handling of secret data."),
            text("Data", "Data contains the secret data."), AGE);

    static final TableConvertor SERVICE_ACCOUNT = Table.of((sa, now) -> List.of(
                    name(sa), (long) Nodes.size(sa, "secrets"), Ages.of(sa, now)),
            NAME, text("Secrets", "Secrets is a list of the secrets in the same namespace that pods running "
                    + "using this ServiceAccount are allowed to use."), AGE);

    static final TableConvertor SERVICE = Table.of((svc, now) -> {
        JsonNode spec = svc.path("spec");
        List<JsonNode> clusterIPs = items(spec, "clusterIPs");
        String clusterIP = clusterIPs.isEmpty() ? string(spec, "clusterIP") : clusterIPs.get(0).asString("");
        return List.of(name(svc), serviceType(spec), Formats.orNone(clusterIP), externalIP(svc),
                Formats.orNone(servicePorts(spec)), Ages.of(svc, now), Formats.labels(spec.path("selector")));
    }, NAME, text("Type", "type determines how the Service is exposed."),
            text("Cluster-IP", "clusterIP is the IP address of the service."),
            text("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also "
                    + "accept traffic for this service."),
            text("Port(s)", "The list of ports that are exposed by this service."), AGE,
            Table.selector("Route service traffic to pods with label keys and values matching this selector."));

    static final TableConvertor ENDPOINTS = Table.of((ep, now) -> List.of(name(ep), endpoints(ep), Ages.of(ep, now)),
            NAME, text("Endpoints", "The set of all endpoints is the union of all subsets."), AGE);

    static final TableConvertor NODE = Table.of((node, now) -> {
        JsonNode info = at(node, "status", "nodeInfo");
        return List.of(name(node), nodeStatus(node), Formats.orNone(String.join(",", nodeRoles(node))),
                Ages.of(node, now), string(info, "kubeletVersion"), nodeAddress(node, "InternalIP"),
                nodeAddress(node, "ExternalIP"), Nodes.textOr(info, Ages.UNKNOWN, "osImage"),
                Nodes.textOr(info, Ages.UNKNOWN, "kernelVersion"),
                Nodes.textOr(info, Ages.UNKNOWN, "containerRuntimeVersion"));
    }, NAME, text("Status", "The status of the node"), text("Roles", "The roles of the node"), AGE,
            text("Version", "Kubelet Version reported by the node."),
            wide("Internal-IP", "List of addresses reachable to the node."),
            wide("External-IP", "List of addresses reachable to the node."),
            wide("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
            wide("Kernel-Version", "Kernel Version reported by the node from 'uname -r'."),
            wide("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API."));

    static final TableConvertor RESOURCE_QUOTA = Table.of((quota, now) -> {
        JsonNode hard = at(quota, "status", "hard");
        JsonNode used = at(quota, "status", "used");
        List<String> requests = new ArrayList<>();
        List<String> limits = new ArrayList<>();
        for (String resource : new TreeSet<>(hard.propertyNames())) {
            String entry = resource + ": " + Nodes.quantity(used, resource) + "/" + Nodes.quantity(hard, resource);
            (resource.startsWith("limits.") ? limits : requests).add(entry);
        }
        return List.of(name(quota), String.join(", ", requests), String.join(", ", limits), Ages.of(quota, now));
    }, NAME,
            text("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
            text("Limit", "Limits control the maximum amount of cpu/memory that a container may use independent of "
                    + "contention on the node."), AGE);

    static final TableConvertor PERSISTENT_VOLUME = Table.of((pv, now) -> {
        JsonNode spec = pv.path("spec");
        JsonNode claim = spec.path("claimRef");
        String claimRef = claim.isObject() ? string(claim, "namespace") + "/" + string(claim, "name") : "";
        String phase = Nodes.deleting(pv) ? "Terminating" : string(pv, "status", "phase");
        return List.of(name(pv), Nodes.quantity(spec, "capacity", "storage"),
                Formats.accessModes(spec.path("accessModes")), string(spec, "persistentVolumeReclaimPolicy"), phase,
                claimRef, storageClass(pv),
                Nodes.textOr(spec, Formats.UNSET, "volumeAttributesClassName"), string(pv, "status", "reason"),
                Ages.of(pv, now), Nodes.textOr(spec, Formats.UNSET, "volumeMode"));
    }, NAME, text("Capacity", "capacity is the description of the persistent volume's resources and capacity."),
            text("Access Modes", "accessModes contains all ways the volume can be mounted."),
            text("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when "
                    + "released from its claim."),
            text("Status", "phase indicates if a volume is available, bound to a claim, or released by a claim."),
            text("Claim", "claimRef is part of a bi-directional binding between PersistentVolume and "
                    + "PersistentVolumeClaim."),
            text("StorageClass", "StorageClass of the pv"),
            text("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
            text("Reason", "reason is a brief CamelCase string that describes any failure."), AGE,
            wide("VolumeMode", "volumeMode defines if a volume is intended to be used with a formatted filesystem or "
                    + "to remain in raw block state."));

    static final TableConvertor PERSISTENT_VOLUME_CLAIM = Table.of((pvc, now) -> {
        JsonNode spec = pvc.path("spec");
        String volumeName = string(spec, "volumeName");
        String capacity = "";
        String accessModes = "";
        if (!volumeName.isEmpty()) {
            capacity = Nodes.quantity(pvc, "status", "capacity", "storage");
            accessModes = Formats.accessModes(at(pvc, "status", "accessModes"));
        }
        String phase = Nodes.deleting(pvc) ? "Terminating" : string(pvc, "status", "phase");
        return List.of(name(pvc), phase, volumeName, capacity, accessModes, storageClass(pvc),
                Nodes.textOr(spec, Formats.UNSET, "volumeAttributesClassName"), Ages.of(pvc, now),
                Nodes.textOr(spec, Formats.UNSET, "volumeMode"));
    }, NAME, text("Status", "phase represents the current phase of PersistentVolumeClaim."),
            text("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim."),
            text("Capacity", "capacity represents the actual resources of the underlying volume."),
            text("Access Modes", "accessModes contains the actual access modes the volume backing the PVC has."),
            text("StorageClass", "StorageClass of the pvc"),
            text("VolumeAttributesClass", "VolumeAttributesClass of the pvc"), AGE,
            wide("VolumeMode", "volumeMode defines what type of volume is required by the claim."));

    static final TableConvertor REPLICATION_CONTROLLER = Table.of((rc, now) -> {
        JsonNode spec = rc.path("spec");
        List<String> containers = Formats.containersAndImages(at(spec, "template", "spec"));
        return List.of(name(rc), Nodes.numberOr(spec, 1, "replicas"), Nodes.number(rc, "status", "replicas"),
                Nodes.number(rc, "status", "readyReplicas"), Ages.of(rc, now), containers.get(0), containers.get(1),
                Formats.labels(spec.path("selector")));
    }, NAME, integer("Desired", "Replicas is the number of desired replicas."),
            integer("Current", "Replicas is the most recently observed number of replicas."),
            integer("Ready", "The number of ready replicas for this replication controller."), AGE,
            CONTAINERS, IMAGES,
            Table.selector("Selector is a label query over pods that should match the Replicas count."));

    static final TableConvertor POD_TEMPLATE = Table.of((template, now) -> {
        List<String> containers = Formats.containersAndImages(at(template, "template", "spec"));
        return List.of(name(template), containers.get(0), containers.get(1),
                Formats.labels(at(template, "template", "metadata", "labels")));
    }, NAME, text("Containers", "Names of each container in the template."),
            text("Images", "Images referenced by each container in the template."),
            text("Pod Labels", "The labels for the pod template."));

    private static String serviceType(JsonNode spec) {
        return Nodes.textOr(spec, "ClusterIP", "type");
    }

    private static String externalIP(JsonNode svc) {
        JsonNode spec = svc.path("spec");
        List<String> externalIPs = items(spec, "externalIPs").stream().map(ip -> ip.asString("")).toList();
        return switch (serviceType(spec)) {
            case "ClusterIP", "NodePort" -> externalIPs.isEmpty() ? Formats.NONE : String.join(",", externalIPs);
            case "LoadBalancer" -> {
                String lbIPs = Formats.loadBalancerIngress(at(svc, "status", "loadBalancer"));
                if (!externalIPs.isEmpty()) {
                    List<String> all = new ArrayList<>();
                    if (!lbIPs.isEmpty()) {
                        all.addAll(List.of(lbIPs.split(",")));
                    }
                    all.addAll(externalIPs);
                    yield String.join(",", all);
                }
                yield lbIPs.isEmpty() ? "<pending>" : lbIPs;
            }
            case "ExternalName" -> string(spec, "externalName");
            default -> Ages.UNKNOWN;
        };
    }

    /** "80/TCP,443:30443/TCP": port, node port when set, protocol. */
    static String servicePorts(JsonNode spec) {
        List<String> pieces = new ArrayList<>();
        for (JsonNode port : items(spec, "ports")) {
            long nodePort = Nodes.number(port, "nodePort");
            pieces.add(Nodes.number(port, "port") + (nodePort > 0 ? ":" + nodePort : "") + "/"
                    + Nodes.textOr(port, "TCP", "protocol"));
        }
        return String.join(",", pieces);
    }

    /** Up to three "ip:port" endpoints, then " + N more..." (formatEndpoints). */
    private static String endpoints(JsonNode ep) {
        List<JsonNode> subsets = items(ep, "subsets");
        if (subsets.isEmpty()) {
            return Formats.NONE;
        }
        List<String> list = new ArrayList<>();
        int max = 3;
        int count = 0;
        for (JsonNode subset : subsets) {
            List<JsonNode> addresses = items(subset, "addresses");
            List<JsonNode> ports = items(subset, "ports");
            if (ports.isEmpty()) {
                count += addresses.size();
                addresses.stream().limit(max - list.size()).forEach(a -> list.add(string(a, "ip")));
                continue;
            }
            for (JsonNode port : ports) {
                count += addresses.size();
                addresses.stream().limit(max - list.size())
                        .forEach(a -> list.add(hostPort(string(a, "ip"), Nodes.number(port, "port"))));
            }
        }
        String joined = String.join(",", list);
        return count > list.size() ? joined + " + " + (count - max) + " more..." : joined;
    }

    /** Go's net.JoinHostPort: IPv6 addresses in brackets. */
    private static String hostPort(String host, long port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** "Ready" or "NotReady" from the Ready condition ("Unknown" without one), then ",SchedulingDisabled". */
    private static String nodeStatus(JsonNode node) {
        String status = "Unknown";
        for (JsonNode condition : items(node, "status", "conditions")) {
            if ("Ready".equals(string(condition, "type"))) {
                status = "True".equals(string(condition, "status")) ? "Ready" : "NotReady";
            }
        }
        return Nodes.isTrue(node, "spec", "unschedulable") ? status + ",SchedulingDisabled" : status;
    }

    /** Roles from node-role.kubernetes.io/&lt;role&gt; label keys and the kubernetes.io/role label value, sorted. */
    private static TreeSet<String> nodeRoles(JsonNode node) {
        TreeSet<String> roles = new TreeSet<>();
        at(node, "metadata", "labels").properties().forEach(label -> {
            String key = label.getKey();
            if (key.startsWith("node-role.kubernetes.io/")) {
                String role = key.substring("node-role.kubernetes.io/".length());
                if (!role.isEmpty()) {
                    roles.add(role);
                }
            } else if (key.equals("kubernetes.io/role") && !label.getValue().asString("").isEmpty()) {
                roles.add(label.getValue().asString(""));
            }
        });
        return roles;
    }

    private static String nodeAddress(JsonNode node, String type) {
        for (JsonNode address : items(node, "status", "addresses")) {
            if (type.equals(string(address, "type"))) {
                return string(address, "address");
            }
        }
        return Formats.NONE;
    }

    /** The beta storage-class annotation, else spec.storageClassName. */
    private static String storageClass(JsonNode object) {
        String annotated = Nodes.text(object, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class");
        return annotated != null ? annotated : string(object, "spec", "storageClassName");
    }
}

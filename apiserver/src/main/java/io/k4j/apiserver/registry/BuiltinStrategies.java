package io.k4j.apiserver.registry;

import io.k4j.apiserver.api.ApiException.Cause;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The strategies of the built-in kinds: upstream's defaults and the validation users meet most. */
final class BuiltinStrategies {

    private BuiltinStrategies() {
    }

    static ResourceStrategy forKind(String group, String kind) {
        return STRATEGIES.getOrDefault(group + "/" + kind, ResourceStrategy.DEFAULT);
    }

    private static final Map<String, ResourceStrategy> STRATEGIES = Map.ofEntries(
            Map.entry("/Pod", new PodStrategy()),
            Map.entry("/Namespace", new NamespaceStrategy()),
            Map.entry("/Service", new ServiceStrategy()),
            Map.entry("/Secret", new SecretStrategy()),
            Map.entry("/PersistentVolumeClaim", new PersistentVolumeClaimStrategy()),
            Map.entry("apps/Deployment", new DeploymentStrategy()),
            Map.entry("apps/ReplicaSet", new WorkloadStrategy(true, 1, false)),
            Map.entry("apps/StatefulSet", AppsDefaults.statefulSet(new WorkloadStrategy(true, 1, true))),
            Map.entry("apps/DaemonSet", AppsDefaults.daemonSet(new WorkloadStrategy(true, -1, true))),
            Map.entry("/ReplicationController", new WorkloadStrategy(false, 1, false)),
            Map.entry("batch/Job", new BatchStrategies.JobStrategy()),
            Map.entry("batch/CronJob", new BatchStrategies.CronJobStrategy()),
            Map.entry("scheduling.k8s.io/PriorityClass", new PriorityClasses.Strategy()));

    /** Pods: upstream's spec defaults, a Pending phase, and required containers. */
    static final class PodStrategy implements ResourceStrategy {
        @Override
        public void prepareForCreate(ObjectNode pod) {
            PodSpecs.defaultSpec(child(pod, "spec"));
            ObjectNode status = child(pod, "status");
            if (!status.has("phase")) {
                status.put("phase", "Pending");
            }
            if (!status.has("qosClass")) {
                status.put("qosClass", PodSpecs.qosClass(child(pod, "spec")));
            }
        }

        @Override
        public void prepareForUpdate(ObjectNode pod, ObjectNode old) {
            PodSpecs.defaultSpec(child(pod, "spec"));
        }

        @Override
        public List<Cause> validate(ObjectNode pod) {
            return PodSpecs.validate(pod.path("spec"), "spec");
        }

        @Override
        public List<Cause> validateUpdate(ObjectNode pod, ObjectNode old) {
            List<Cause> causes = new ArrayList<>(validate(pod));
            String oldNode = old.path("spec").path("nodeName").asString("");
            String newNode = pod.path("spec").path("nodeName").asString("");
            if (!oldNode.isEmpty() && !oldNode.equals(newNode)) {
                causes.add(new Cause("FieldValueForbidden", "Forbidden: pod updates may not change fields other than "
                        + "`spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, "
                        + "`spec.tolerations` (only additions to existing tolerations), "
                        + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
                        "spec"));
            }
            return causes;
        }
    }

    /**
     * Namespaces: DNS-label names, the "kubernetes" finalizer and an Active phase. As upstream, only the finalize
     * subresource changes spec.finalizers; updates keep those stored.
     */
    static final class NamespaceStrategy implements ResourceStrategy {
        @Override
        public void prepareForCreate(ObjectNode namespace) {
            ObjectNode spec = child(namespace, "spec");
            if (!spec.has("finalizers")) {
                spec.putArray("finalizers").add("kubernetes");
            }
            ObjectNode status = child(namespace, "status");
            if (!status.has("phase")) {
                status.put("phase", "Active");
            }
            nameLabel(namespace);
        }

        @Override
        public void prepareForUpdate(ObjectNode namespace, ObjectNode old) {
            ObjectNode spec = child(namespace, "spec");
            if (old.path("spec").has("finalizers")) {
                spec.set("finalizers", old.path("spec").get("finalizers").deepCopy());
            } else {
                spec.remove("finalizers");
            }
            nameLabel(namespace);
        }

        @Override
        public void prepareForSubresourceUpdate(String subresource, ObjectNode namespace, ObjectNode old) {
            nameLabel(namespace); // finalize: the finalizers are what the request says
        }

        private static void nameLabel(ObjectNode namespace) {
            ObjectNode labels = child(child(namespace, "metadata"), "labels");
            labels.put("kubernetes.io/metadata.name", namespace.path("metadata").path("name").asString(""));
        }

        @Override
        public boolean namesAreLabels() {
            return true;
        }
    }

    /** Services: ClusterIP by default, TCP ports whose targetPort defaults to the port. */
    static final class ServiceStrategy implements ResourceStrategy {
        @Override
        public void prepareForCreate(ObjectNode service) {
            ObjectNode spec = child(service, "spec");
            if (!spec.has("type")) {
                spec.put("type", "ClusterIP");
            }
            if (!spec.has("sessionAffinity")) {
                spec.put("sessionAffinity", "None");
            }
            if (!spec.has("internalTrafficPolicy")) {
                spec.put("internalTrafficPolicy", "Cluster");
            }
            if (!spec.has("ipFamilies") && !"ExternalName".equals(spec.path("type").asString(""))) {
                spec.putArray("ipFamilies").add("IPv4");
                spec.put("ipFamilyPolicy", "SingleStack");
            }
            String type = spec.path("type").asString("");
            if (("NodePort".equals(type) || "LoadBalancer".equals(type)) && !spec.has("externalTrafficPolicy")) {
                spec.put("externalTrafficPolicy", "Cluster");
            }
            if (spec.get("ports") instanceof ArrayNode ports) {
                for (JsonNode port : ports) {
                    if (port instanceof ObjectNode p) {
                        if (!p.has("protocol")) {
                            p.put("protocol", "TCP");
                        }
                        if (!p.has("targetPort") && p.has("port")) {
                            p.set("targetPort", p.get("port"));
                        }
                    }
                }
            }
            child(service, "status").putObject("loadBalancer");
        }

        @Override
        public void prepareForUpdate(ObjectNode service, ObjectNode old) {
            ObjectNode spec = child(service, "spec");
            JsonNode oldSpec = old.path("spec");
            for (String allocated : List.of("clusterIP", "clusterIPs")) {
                if (!spec.has(allocated) && oldSpec.has(allocated)) {
                    spec.set(allocated, oldSpec.get(allocated).deepCopy());
                }
            }
            prepareForCreate(service);
            service.set("status", old.has("status") ? old.get("status").deepCopy() : service.get("status"));
        }

        @Override
        public List<Cause> validate(ObjectNode service) {
            List<Cause> causes = new ArrayList<>();
            JsonNode spec = service.path("spec");
            String type = spec.path("type").asString("ClusterIP");
            if (!Set.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName").contains(type)) {
                causes.add(new Cause("FieldValueNotSupported", "Unsupported value: \"" + type
                        + "\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
                        "spec.type"));
            }
            boolean headless = "None".equals(spec.path("clusterIP").asString(""));
            JsonNode ports = spec.path("ports");
            if (!"ExternalName".equals(type) && !headless && (!ports.isArray() || ports.isEmpty())) {
                causes.add(Cause.required("spec.ports"));
            }
            Set<String> names = new HashSet<>();
            for (int i = 0; ports.isArray() && i < ports.size(); i++) {
                JsonNode port = ports.get(i);
                int number = port.path("port").asInt(0);
                if (number < 1 || number > 65535) {
                    causes.add(Cause.invalid("spec.ports[" + i + "].port", port.path("port").asString(""),
                            "must be between 1 and 65535, inclusive"));
                }
                String name = port.path("name").asString("");
                if (ports.size() > 1 && name.isEmpty()) {
                    causes.add(Cause.required("spec.ports[" + i + "].name"));
                } else if (!name.isEmpty() && !names.add(name)) {
                    causes.add(new Cause("FieldValueDuplicate", "Duplicate value: \"" + name + "\"",
                            "spec.ports[" + i + "].name"));
                }
            }
            return causes;
        }

        @Override
        public boolean namesAreLabels() {
            return true;
        }
    }

    /** Secrets: type Opaque by default; data values must be base64. */
    static final class SecretStrategy implements ResourceStrategy {
        @Override
        public void prepareForCreate(ObjectNode secret) {
            if (!secret.has("type")) {
                secret.put("type", "Opaque");
            }
            // stringData is write-only: fold it into data, as upstream does.
            if (secret.get("stringData") instanceof ObjectNode stringData) {
                ObjectNode data = child(secret, "data");
                stringData.properties().forEach(entry -> data.put(entry.getKey(), Base64.getEncoder().encodeToString(
                        entry.getValue().asString("").getBytes(java.nio.charset.StandardCharsets.UTF_8))));
                secret.remove("stringData");
            }
        }

        @Override
        public List<Cause> validate(ObjectNode secret) {
            List<Cause> causes = new ArrayList<>();
            if (secret.get("data") instanceof ObjectNode data) {
                data.properties().forEach(entry -> {
                    try {
                        Base64.getDecoder().decode(entry.getValue().asString(""));
                    } catch (IllegalArgumentException e) {
                        causes.add(Cause.invalid("data[" + entry.getKey() + "]", "<secret contents redacted>",
                                "illegal base64 data"));
                    }
                });
            }
            return causes;
        }
    }

    /**
     * Deployments, ReplicaSets, StatefulSets, DaemonSets, ReplicationControllers: a selector that matches the
     * pod template's labels, and a valid pod template.
     */
    static final class WorkloadStrategy implements ResourceStrategy {
        private final boolean structuredSelector;
        private final int defaultReplicas;
        private final boolean keepsHistory;

        /** keepsHistory: the kind has spec.revisionHistoryLimit (StatefulSets, DaemonSets; not ReplicaSets). */
        WorkloadStrategy(boolean structuredSelector, int defaultReplicas, boolean keepsHistory) {
            this.structuredSelector = structuredSelector;
            this.defaultReplicas = defaultReplicas;
            this.keepsHistory = keepsHistory;
        }

        @Override
        public void prepareForCreate(ObjectNode workload) {
            ObjectNode spec = child(workload, "spec");
            if (defaultReplicas >= 0 && !spec.has("replicas")) {
                spec.put("replicas", defaultReplicas);
            }
            if (!structuredSelector && !spec.has("selector")) {
                JsonNode labels = spec.path("template").path("metadata").path("labels");
                if (labels instanceof ObjectNode objectLabels) {
                    spec.set("selector", objectLabels.deepCopy());
                }
            }
            if (!spec.has("revisionHistoryLimit") && keepsHistory) {
                spec.put("revisionHistoryLimit", 10);
            }
            if (spec.get("template") instanceof ObjectNode template) {
                PodSpecs.defaultSpec(child(template, "spec"));
            }
        }

        @Override
        public List<Cause> validate(ObjectNode workload) {
            List<Cause> causes = new ArrayList<>();
            JsonNode spec = workload.path("spec");
            JsonNode selector = spec.path("selector");
            JsonNode templateLabels = spec.path("template").path("metadata").path("labels");
            if (selector.isMissingNode() || selector.isNull() || selector.isEmpty()) {
                causes.add(Cause.required("spec.selector"));
            } else if (!PodSpecs.selectorMatches(selector, templateLabels, structuredSelector)) {
                causes.add(Cause.invalid("spec.template.metadata.labels", text(templateLabels),
                        "`selector` does not match template `labels`"));
            }
            if (spec.path("replicas").asInt(0) < 0) {
                causes.add(Cause.invalid("spec.replicas", spec.path("replicas").asString(""),
                        "must be greater than or equal to 0"));
            }
            causes.addAll(PodSpecs.validate(spec.path("template").path("spec"), "spec.template.spec"));
            return causes;
        }
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() ? "null" : node.toString();
    }

    static ObjectNode child(ObjectNode parent, String field) {
        return io.k4j.apiserver.api.Json.child(parent, field);
    }
}

package io.k4j.apiserver.registry;

import io.k4j.apiserver.api.ApiException.Cause;
import io.k4j.apiserver.api.Json;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's apps/v1 defaults for StatefulSets and DaemonSets on top of the workload strategy, so that what kubectl
 * rollout reads (updateStrategy, partition) is always there, and the DaemonSet's template generation annotation.
 */
final class AppsDefaults {

    static final String TEMPLATE_GENERATION = "deprecated.daemonset.template.generation";

    private AppsDefaults() {
    }

    static ResourceStrategy statefulSet(ResourceStrategy workload) {
        return new Defaulted(workload) {
            @Override
            void defaults(ObjectNode set, ObjectNode old) {
                ObjectNode spec = Json.child(set, "spec");
                putIfAbsent(spec, "podManagementPolicy", "OrderedReady");
                ObjectNode strategy = Json.child(spec, "updateStrategy");
                putIfAbsent(strategy, "type", "RollingUpdate");
                if ("RollingUpdate".equals(strategy.path("type").asString(""))) {
                    ObjectNode rolling = Json.child(strategy, "rollingUpdate");
                    if (!rolling.has("partition")) {
                        rolling.put("partition", 0);
                    }
                }
                ObjectNode retention = Json.child(spec, "persistentVolumeClaimRetentionPolicy");
                putIfAbsent(retention, "whenDeleted", "Retain");
                putIfAbsent(retention, "whenScaled", "Retain");
                for (JsonNode claim : spec.path("volumeClaimTemplates")) {
                    if (claim instanceof ObjectNode template) {
                        putIfAbsent(template, "apiVersion", "v1");
                        putIfAbsent(template, "kind", "PersistentVolumeClaim");
                        putIfAbsent(Json.child(template, "spec"), "volumeMode", "Filesystem");
                        putIfAbsent(Json.child(template, "status"), "phase", "Pending");
                    }
                }
            }
        };
    }

    static ResourceStrategy daemonSet(ResourceStrategy workload) {
        return new Defaulted(workload) {
            @Override
            void defaults(ObjectNode set, ObjectNode old) {
                ObjectNode spec = Json.child(set, "spec");
                ObjectNode strategy = Json.child(spec, "updateStrategy");
                putIfAbsent(strategy, "type", "RollingUpdate");
                if ("RollingUpdate".equals(strategy.path("type").asString(""))) {
                    ObjectNode rolling = Json.child(strategy, "rollingUpdate");
                    if (!rolling.has("maxUnavailable")) {
                        rolling.put("maxUnavailable", 1);
                    }
                    if (!rolling.has("maxSurge")) {
                        rolling.put("maxSurge", 0);
                    }
                }
                long generation = 1;
                if (old != null) {
                    generation = old.path("metadata").path("annotations").path(TEMPLATE_GENERATION).asLong(1);
                    if (!spec.path("template").equals(old.path("spec").path("template"))) {
                        generation++;
                    }
                }
                Json.child(Json.child(set, "metadata"), "annotations").put(TEMPLATE_GENERATION, Long.toString(generation));
            }
        };
    }

    private static void putIfAbsent(ObjectNode node, String field, String value) {
        if (!node.has(field) || node.get(field).isNull()) {
            node.put(field, value);
        }
    }

    /** A strategy that applies extra defaults after the workload's. */
    private abstract static class Defaulted implements ResourceStrategy {
        private final ResourceStrategy workload;

        Defaulted(ResourceStrategy workload) {
            this.workload = workload;
        }

        abstract void defaults(ObjectNode object, ObjectNode old);

        @Override
        public void prepareForCreate(ObjectNode object) {
            workload.prepareForCreate(object);
            defaults(object, null);
        }

        @Override
        public void prepareForUpdate(ObjectNode object, ObjectNode old) {
            workload.prepareForUpdate(object, old);
            defaults(object, old);
        }

        @Override
        public List<Cause> validate(ObjectNode object) {
            return workload.validate(object);
        }

        @Override
        public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
            return workload.validateUpdate(object, old);
        }
    }
}

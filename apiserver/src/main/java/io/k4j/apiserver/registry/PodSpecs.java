package io.k4j.apiserver.registry;

import io.k4j.apiserver.api.ApiException.Cause;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Pod spec defaults and validation, shared by pods and every pod template. */
final class PodSpecs {

    private PodSpecs() {
    }

    static void defaultSpec(ObjectNode spec) {
        putIfMissing(spec, "restartPolicy", "Always");
        putIfMissing(spec, "dnsPolicy", "ClusterFirst");
        putIfMissing(spec, "schedulerName", "default-scheduler");
        if (!spec.has("terminationGracePeriodSeconds")) {
            spec.put("terminationGracePeriodSeconds", 30);
        }
        if (!spec.has("securityContext")) {
            spec.putObject("securityContext");
        }
        if (!spec.has("enableServiceLinks")) {
            spec.put("enableServiceLinks", true);
        }
        for (String list : List.of("initContainers", "containers")) {
            if (spec.get(list) instanceof ArrayNode containers) {
                for (JsonNode container : containers) {
                    if (container instanceof ObjectNode c) {
                        defaultContainer(c);
                    }
                }
            }
        }
    }

    private static void defaultContainer(ObjectNode container) {
        String image = container.path("image").asString("");
        if (!container.has("imagePullPolicy")) {
            container.put("imagePullPolicy", pullsAlways(image) ? "Always" : "IfNotPresent");
        }
        putIfMissing(container, "terminationMessagePath", "/dev/termination-log");
        putIfMissing(container, "terminationMessagePolicy", "File");
        if (!container.has("resources")) {
            container.putObject("resources");
        }
        if (container.get("ports") instanceof ArrayNode ports) {
            for (JsonNode port : ports) {
                if (port instanceof ObjectNode p) {
                    putIfMissing(p, "protocol", "TCP");
                }
            }
        }
    }

    /** Upstream pulls always when the image has no tag or the tag "latest" (and no digest). */
    private static boolean pullsAlways(String image) {
        if (image.contains("@")) {
            return false;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon <= slash || image.substring(colon + 1).equals("latest");
    }

    private static void putIfMissing(ObjectNode node, String field, String value) {
        if (!node.has(field)) {
            node.put(field, value);
        }
    }

    static String qosClass(JsonNode spec) {
        boolean anyResources = false;
        for (JsonNode container : spec.path("containers")) {
            JsonNode resources = container.path("resources");
            if (!resources.path("requests").isEmpty() || !resources.path("limits").isEmpty()) {
                anyResources = true;
            }
        }
        return anyResources ? "Burstable" : "BestEffort";
    }

    static List<Cause> validate(JsonNode spec, String path) {
        List<Cause> causes = new ArrayList<>();
        JsonNode containers = spec.path("containers");
        if (!containers.isArray() || containers.isEmpty()) {
            causes.add(Cause.required(path + ".containers"));
            return causes;
        }
        Set<String> names = new HashSet<>();
        for (String list : List.of("initContainers", "containers")) {
            JsonNode items = spec.path(list);
            for (int i = 0; items.isArray() && i < items.size(); i++) {
                JsonNode container = items.get(i);
                String field = path + "." + list + "[" + i + "]";
                String name = container.path("name").asString("");
                if (name.isEmpty()) {
                    causes.add(Cause.required(field + ".name"));
                } else if (!Names.isLabel(name)) {
                    causes.addAll(Names.check(field + ".name", name, true));
                } else if (!names.add(name)) {
                    causes.add(new Cause("FieldValueDuplicate", "Duplicate value: \"" + name + "\"", field + ".name"));
                }
                if (container.path("image").asString("").isBlank()) {
                    causes.add(Cause.required(field + ".image"));
                }
            }
        }
        String restartPolicy = spec.path("restartPolicy").asString("Always");
        if (!Set.of("Always", "OnFailure", "Never").contains(restartPolicy)) {
            causes.add(new Cause("FieldValueNotSupported", "Unsupported value: \"" + restartPolicy
                    + "\": supported values: \"Always\", \"OnFailure\", \"Never\"", path + ".restartPolicy"));
        }
        return causes;
    }

    /** Whether a workload's selector selects its own template's labels. */
    static boolean selectorMatches(JsonNode selector, JsonNode labels, boolean structured) {
        JsonNode matchLabels = structured ? selector.path("matchLabels") : selector;
        for (var entry : matchLabels.properties()) {
            if (!entry.getValue().asString("").equals(labels.path(entry.getKey()).asString(null))) {
                return false;
            }
        }
        if (structured) {
            for (JsonNode expression : selector.path("matchExpressions")) {
                String key = expression.path("key").asString("");
                String value = labels.path(key).asString(null);
                Set<String> values = new HashSet<>();
                expression.path("values").forEach(v -> values.add(v.asString("")));
                boolean ok = switch (expression.path("operator").asString("")) {
                    case "In" -> value != null && values.contains(value);
                    case "NotIn" -> value == null || !values.contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}

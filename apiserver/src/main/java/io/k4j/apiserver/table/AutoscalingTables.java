package io.k4j.apiserver.table;

import static io.k4j.apiserver.table.Nodes.at;
import static io.k4j.apiserver.table.Nodes.items;
import static io.k4j.apiserver.table.Nodes.name;
import static io.k4j.apiserver.table.Nodes.string;
import static io.k4j.apiserver.table.Table.AGE;
import static io.k4j.apiserver.table.Table.NAME;
import static io.k4j.apiserver.table.Table.text;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * autoscaling HorizontalPodAutoscaler, v2 (spec.metrics) and v1 (targetCPUUtilizationPercentage). TARGETS pairs
 * each spec metric with the status metric at the same index, "current/target", at most two then " + N more...".
 */
final class AutoscalingTables {

    private AutoscalingTables() {
    }

    private static final String UNKNOWN = Ages.UNKNOWN;

    static final TableConvertor HORIZONTAL_POD_AUTOSCALER = Table.of((hpa, now) -> {
        JsonNode spec = hpa.path("spec");
        JsonNode ref = spec.path("scaleTargetRef");
        String minPods = String.valueOf(Nodes.numberOr(spec, 1, "minReplicas")); // defaulted to 1 on create
        return List.of(name(hpa), string(ref, "kind") + "/" + string(ref, "name"), targets(hpa), minPods,
                Nodes.number(spec, "maxReplicas"), Nodes.number(hpa, "status", "currentReplicas"), Ages.of(hpa, now));
    }, NAME, text("Reference", "reference to scaled resource; horizontal pod autoscaler will learn the current "
                    + "resource consumption and will set the desired number of pods by using its Scale subresource."),
            text("Targets", "metrics contains the specifications for which to use to calculate the desired replica "
                    + "count."),
            text("MinPods", "minReplicas is the lower limit for the number of replicas to which the autoscaler can "
                    + "scale down."),
            text("MaxPods", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can "
                    + "scale up."),
            text("Replicas", "currentReplicas is current number of replicas of pods managed by this autoscaler."),
            AGE);

    private static String targets(JsonNode hpa) {
        JsonNode spec = hpa.path("spec");
        JsonNode status = hpa.path("status");
        if (spec.path("targetCPUUtilizationPercentage").isNumber()) { // autoscaling/v1
            String current = status.path("currentCPUUtilizationPercentage").isNumber()
                    ? Nodes.number(status, "currentCPUUtilizationPercentage") + "%" : UNKNOWN;
            return "cpu: " + current + "/" + Nodes.number(spec, "targetCPUUtilizationPercentage") + "%";
        }
        List<JsonNode> specs = items(spec, "metrics");
        if (specs.isEmpty()) {
            return Formats.NONE;
        }
        List<JsonNode> statuses = items(status, "currentMetrics");
        List<String> list = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            JsonNode metric = specs.get(i);
            JsonNode current = i < statuses.size() ? statuses.get(i) : MissingNode.getInstance();
            list.add(metric(metric, current));
        }
        int max = 2;
        String joined = String.join(", ", list.subList(0, Math.min(max, list.size())));
        return list.size() > max ? joined + " + " + (list.size() - max) + " more..." : joined;
    }

    /** One metric: "current/target", with the resource name for (container) resource metrics. */
    private static String metric(JsonNode spec, JsonNode status) {
        return switch (string(spec, "type")) {
            case "External" -> valueOrAverage(spec.path("external"), status.path("external"));
            case "Object" -> valueOrAverage(spec.path("object"), status.path("object"));
            case "Pods" -> current(status.path("pods"), "averageValue") + "/"
                    + quantity(at(spec, "pods", "target", "averageValue"));
            case "Resource" -> resource(spec.path("resource"), status.path("resource"));
            case "ContainerResource" -> resource(spec.path("containerResource"), status.path("containerResource"));
            default -> "<unknown type>";
        };
    }

    private static String valueOrAverage(JsonNode source, JsonNode current) {
        JsonNode target = source.path("target");
        if (target.has("averageValue")) {
            JsonNode average = at(current, "current", "averageValue");
            String value = average.isString() || average.isNumber() ? average.asString() : UNKNOWN;
            return value + "/" + quantity(target.path("averageValue")) + " (avg)";
        }
        return current(current, "value") + "/" + quantity(target.path("value"));
    }

    private static String resource(JsonNode source, JsonNode current) {
        String resourceName = string(source, "name");
        JsonNode target = source.path("target");
        if (target.has("averageValue")) {
            return resourceName + ": " + current(current, "averageValue") + "/" + quantity(target.path("averageValue"));
        }
        JsonNode utilization = at(current, "current", "averageUtilization");
        String now = utilization.isNumber() ? utilization.asLong() + "%" : UNKNOWN;
        String wanted = target.path("averageUtilization").isNumber() ? Nodes.number(target, "averageUtilization") + "%"
                : "<auto>";
        return resourceName + ": " + now + "/" + wanted;
    }

    /** A current value from a status metric source that is present, else "&lt;unknown&gt;". */
    private static String current(JsonNode statusSource, String field) {
        return statusSource.isObject() ? quantity(at(statusSource, "current", field)) : UNKNOWN;
    }

    /** A Quantity's text; an absent one prints as Go prints a nil *Quantity. */
    private static String quantity(JsonNode value) {
        return value.isString() || value.isNumber() ? value.asString() : "<nil>";
    }
}

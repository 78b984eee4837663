package io.k4j.apiserver.table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/** The formatting upstream's printers share: placeholders, label maps, label selectors, container lists. */
final class Formats {

    static final String NONE = "<none>";
    static final String UNSET = "<unset>";

    private Formats() {
    }

    static String orNone(String value) {
        return value == null || value.isEmpty() ? NONE : value;
    }

    /** A map of labels as "a=b,c=d" sorted by key, or "&lt;none&gt;" (labels.FormatLabels). */
    static String labels(JsonNode map) {
        if (!map.isObject() || map.isEmpty()) {
            return NONE;
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        map.properties().forEach(e -> sorted.put(e.getKey(), e.getValue().asString("")));
        return sorted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /**
     * A LabelSelector as "a=b,c in (x,y)", or "&lt;none&gt;" when it selects everything or nothing
     * (metav1.FormatLabelSelector).
     */
    static String labelSelector(JsonNode selector) {
        String text = selectorString(selector);
        return text == null ? "<error>" : text.isEmpty() ? NONE : text;
    }

    /**
     * A LabelSelector in the syntax of {@code labels.Selector.String()}: requirements sorted by key, values of set
     * operators sorted; "" for a missing or empty selector, null for an unknown operator.
     */
    static String selectorString(JsonNode selector) {
        if (!selector.isObject()) {
            return "";
        }
        record Requirement(String key, String text) {
        }
        List<Requirement> requirements = new ArrayList<>();
        selector.path("matchLabels").properties().forEach(e ->
                requirements.add(new Requirement(e.getKey(), e.getKey() + "=" + e.getValue().asString(""))));
        for (JsonNode expression : Nodes.items(selector, "matchExpressions")) {
            String key = Nodes.string(expression, "key");
            String values = Nodes.items(expression, "values").stream().map(v -> v.asString(""))
                    .collect(Collectors.toCollection(TreeSet::new)).stream().collect(Collectors.joining(","));
            String text = switch (Nodes.string(expression, "operator")) {
                case "In" -> key + " in (" + values + ")";
                case "NotIn" -> key + " notin (" + values + ")";
                case "Exists" -> key;
                case "DoesNotExist" -> "!" + key;
                default -> null;
            };
            if (text == null) {
                return null;
            }
            requirements.add(new Requirement(key, text));
        }
        requirements.sort(Comparator.comparing(Requirement::key));
        return requirements.stream().map(Requirement::text).collect(Collectors.joining(","));
    }

    /** The names and the images of a pod spec's containers, each comma-separated (layoutContainerCells). */
    static List<String> containersAndImages(JsonNode podSpec) {
        List<JsonNode> containers = Nodes.items(podSpec, "containers");
        String names = containers.stream().map(c -> Nodes.string(c, "name")).collect(Collectors.joining(","));
        String images = containers.stream().map(c -> Nodes.string(c, "image")).collect(Collectors.joining(","));
        return List.of(names, images);
    }

    /** At most {@code max} entries joined by ",", then " + N more..."; "&lt;unset&gt;" when empty. */
    static String listWithMore(List<String> all, int max) {
        String joined = String.join(",", all.subList(0, Math.min(max, all.size())));
        if (all.size() > max) {
            return joined + " + " + (all.size() - max) + " more...";
        }
        return joined.isEmpty() ? UNSET : joined;
    }

    /** A *bool printed as "True", "False" or "&lt;unset&gt;". */
    static String boolPointer(JsonNode value) {
        if (!value.isBoolean()) {
            return UNSET;
        }
        return value.booleanValue() ? "True" : "False";
    }

    /** Persistent volume access modes abbreviated in upstream's order: RWO, ROX, RWX, RWOP. */
    static String accessModes(JsonNode modes) {
        List<String> present = Nodes.items(modes).stream().map(m -> m.asString("")).toList();
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> mode : List.of(Map.entry("ReadWriteOnce", "RWO"),
                Map.entry("ReadOnlyMany", "ROX"), Map.entry("ReadWriteMany", "RWX"),
                Map.entry("ReadWriteOncePod", "RWOP"))) {
            if (present.contains(mode.getKey())) {
                out.add(mode.getValue());
            }
        }
        return String.join(",", out);
    }

    /** The IPs (or host names) of a load balancer status, sorted and de-duplicated. */
    static String loadBalancerIngress(JsonNode loadBalancerStatus) {
        TreeSet<String> result = new TreeSet<>();
        for (JsonNode ingress : Nodes.items(loadBalancerStatus, "ingress")) {
            String ip = Nodes.string(ingress, "ip");
            String hostname = Nodes.string(ingress, "hostname");
            if (!ip.isEmpty()) {
                result.add(ip);
            } else if (!hostname.isEmpty()) {
                result.add(hostname);
            }
        }
        return String.join(",", result);
    }

    /** "kind.group/name" in lower case, or just the name without a kind (formatResourceName). */
    static String resourceName(String kind, String group, String name) {
        if (kind.isEmpty() && group.isEmpty()) {
            return name;
        }
        String groupKind = group.isEmpty() ? kind : kind + "." + group;
        return groupKind.toLowerCase(Locale.ROOT) + "/" + name;
    }
}

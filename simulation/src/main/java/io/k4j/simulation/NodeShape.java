package io.k4j.simulation;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every simulated node looks like: its capacity (also its allocatable), extra labels and taints. The static
 * parsers read the {@code k4j server --simulated-node-*} flag syntax.
 */
public record NodeShape(Map<String, Quantity> capacity, Map<String, String> labels, List<Taint> taints) {

    public static final String DEFAULT_CAPACITY = "cpu=8,memory=32Gi,pods=110";
    private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    public NodeShape {
        capacity = Map.copyOf(capacity);
        labels = Map.copyOf(labels);
        taints = List.copyOf(taints);
    }

    public static NodeShape defaults() {
        return new NodeShape(parseCapacity(DEFAULT_CAPACITY), Map.of(), List.of());
    }

    /** {@code cpu=8,memory=32Gi,pods=110}: resource names and quantities. */
    public static Map<String, Quantity> parseCapacity(String text) {
        Map<String, Quantity> capacity = new LinkedHashMap<>();
        parsePairs(text, "capacity").forEach((name, amount) -> {
            try {
                Quantity quantity = new Quantity(amount);
                Quantity.getAmountInBytes(quantity); // throws if the amount is no quantity
                capacity.put(name, quantity);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("capacity: '" + amount + "' is not a quantity for " + name, e);
            }
        });
        return capacity;
    }

    /** {@code k=v,k2=v2}. */
    public static Map<String, String> parseLabels(String text) {
        return parsePairs(text, "labels");
    }

    /** {@code key=value:Effect} or {@code key:Effect}, comma separated, as {@code kubectl taint} writes them. */
    public static List<Taint> parseTaints(String text) {
        List<Taint> taints = new ArrayList<>();
        for (String item : items(text)) {
            int colon = item.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("taints: '" + item + "' is not key=value:Effect");
            }
            String effect = item.substring(colon + 1);
            if (!EFFECTS.contains(effect)) {
                throw new IllegalArgumentException("taints: effect '" + effect + "' is not one of " + EFFECTS);
            }
            String keyValue = item.substring(0, colon);
            int equals = keyValue.indexOf('=');
            String key = equals < 0 ? keyValue : keyValue.substring(0, equals);
            String value = equals < 0 ? null : keyValue.substring(equals + 1);
            if (key.isEmpty()) {
                throw new IllegalArgumentException("taints: '" + item + "' has no key");
            }
            taints.add(new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build());
        }
        return taints;
    }

    private static Map<String, String> parsePairs(String text, String what) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String item : items(text)) {
            int equals = item.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(what + ": '" + item + "' is not key=value");
            }
            pairs.put(item.substring(0, equals).trim(), item.substring(equals + 1).trim());
        }
        return pairs;
    }

    private static List<String> items(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return List.of(text.split(",")).stream().map(String::trim).filter(item -> !item.isEmpty()).toList();
    }
}

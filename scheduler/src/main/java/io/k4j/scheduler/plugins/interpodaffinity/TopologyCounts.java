package io.k4j.scheduler.plugins.interpodaffinity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts per topology pair (key, value) as upstream's topologyToMatchedTermCount, nested key -> value -> count so
 * that Filter looks a node up without building pair objects. Entries that drop to zero are removed.
 *
 * <p>Counts may also rest on <em>shared</em> layers ({@link #addShared}): the indexes a cycle reads from are not
 * copied into its state (with 5,000 nodes one hostname count is 5,000 entries, every cycle), only referenced; this
 * object's own entries (what preemption's what-ifs add and remove) sit on top. A shared layer must not change while
 * a state referencing it is in use; the indexes change only at the next cycle's PreFilter.
 */
final class TopologyCounts {

    private final HashMap<String, HashMap<String, long[]>> counts;
    private List<TopologyCounts> shared = List.of();
    /** The sum of every own count; with the shared layers' totals, zero exactly when no pair counts. */
    private long total;

    TopologyCounts() {
        this.counts = new HashMap<>(4);
    }

    private TopologyCounts(HashMap<String, HashMap<String, long[]>> counts, long total) {
        this.counts = counts;
        this.total = total;
    }

    /** Adds delta to the pair (key, the node's value for key); nothing when the node lacks the label. */
    void update(Map<String, String> nodeLabels, String key, long delta) {
        String value = nodeLabels.get(key);
        if (value == null) {
            return;
        }
        HashMap<String, long[]> values = counts.get(key);
        if (values == null) {
            values = new HashMap<>();
            counts.put(key, values);
        }
        long[] count = values.get(value);
        if (count == null) {
            count = new long[1];
            values.put(value, count);
        }
        count[0] += delta;
        total += delta;
        if (count[0] == 0) {
            values.remove(value);
            if (values.isEmpty()) {
                counts.remove(key);
            }
        }
    }

    /** Counts other's pairs too, by reference: other must not change while this is in use. */
    void addShared(TopologyCounts other) {
        if (other.isEmpty()) {
            return;
        }
        if (shared.isEmpty()) {
            shared = new ArrayList<>(2);
        }
        shared.add(other);
    }

    /** Every counted pair: key, value, count (a pair may come once per layer; the counts add up). */
    void forEach(PairConsumer action) {
        counts.forEach((key, values) -> values.forEach((value, count) -> action.accept(key, value, count[0])));
        for (TopologyCounts layer : shared) {
            layer.forEach(action);
        }
    }

    @FunctionalInterface
    interface PairConsumer {
        void accept(String key, String value, long count);
    }

    long get(String key, String value) {
        long sum = own(key, value);
        for (int i = 0, n = shared.size(); i < n; i++) {
            sum += shared.get(i).get(key, value);
        }
        return sum;
    }

    private long own(String key, String value) {
        HashMap<String, long[]> values = counts.get(key);
        if (values == null) {
            return 0;
        }
        long[] count = values.get(value);
        return count == null ? 0 : count[0];
    }

    /** The topology keys with at least one counted pair (in any layer). */
    Set<String> keys() {
        if (shared.isEmpty()) {
            return counts.keySet();
        }
        Set<String> keys = new HashSet<>(counts.keySet());
        shared.forEach(layer -> keys.addAll(layer.keys()));
        return keys;
    }

    /** No pair counts: the own and shared totals add up to zero (no count is ever negative in sum). */
    boolean isEmpty() {
        return total() == 0;
    }

    private long total() {
        long sum = total;
        for (TopologyCounts layer : shared) {
            sum += layer.total();
        }
        return sum;
    }

    /** A copy whose own counts can change alone; shared layers stay shared. */
    TopologyCounts copy() {
        HashMap<String, HashMap<String, long[]>> copy = new HashMap<>(Math.max(4, counts.size() * 2));
        counts.forEach((k, v) -> {
            HashMap<String, long[]> values = new HashMap<>(Math.max(4, v.size() * 2));
            v.forEach((value, count) -> values.put(value, new long[] {count[0]}));
            copy.put(k, values);
        });
        TopologyCounts result = new TopologyCounts(copy, total);
        if (!shared.isEmpty()) {
            result.shared = new ArrayList<>(shared);
        }
        return result;
    }

    /** key -> value -> count over every layer, zero pairs left out; for tests. */
    Map<String, Map<String, Long>> asMap() {
        Map<String, Map<String, Long>> map = new HashMap<>();
        forEach((key, value, count) -> map.computeIfAbsent(key, k -> new HashMap<>()).merge(value, count, Long::sum));
        map.values().forEach(values -> values.values().removeIf(count -> count == 0));
        map.values().removeIf(Map::isEmpty);
        return map;
    }
}

package io.k4j.scheduler.plugins.interpodaffinity;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Counts per topology pair (key, value) as upstream's topologyToMatchedTermCount, nested key -> value -> count so
 * that Filter looks a node up without building pair objects. Entries that drop to zero are removed, so
 * {@link #isEmpty()} means "no pair counts".
 */
final class TopologyCounts {

    private final HashMap<String, HashMap<String, long[]>> counts;

    TopologyCounts() {
        this.counts = new HashMap<>(4);
    }

    private TopologyCounts(HashMap<String, HashMap<String, long[]>> counts) {
        this.counts = counts;
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
        if (count[0] == 0) {
            values.remove(value);
            if (values.isEmpty()) {
                counts.remove(key);
            }
        }
    }

    /** Adds every pair's count of other to this one. */
    void addAll(TopologyCounts other) {
        other.counts.forEach((key, values) -> {
            HashMap<String, long[]> mine = counts.computeIfAbsent(key, k -> new HashMap<>());
            values.forEach((value, count) -> {
                long[] existing = mine.get(value);
                if (existing == null) {
                    mine.put(value, new long[] {count[0]});
                } else {
                    existing[0] += count[0];
                }
            });
        });
    }

    /** Every counted pair: key, value, count. */
    void forEach(PairConsumer action) {
        counts.forEach((key, values) -> values.forEach((value, count) -> action.accept(key, value, count[0])));
    }

    @FunctionalInterface
    interface PairConsumer {
        void accept(String key, String value, long count);
    }

    long get(String key, String value) {
        HashMap<String, long[]> values = counts.get(key);
        if (values == null) {
            return 0;
        }
        long[] count = values.get(value);
        return count == null ? 0 : count[0];
    }

    /** The topology keys with at least one counted pair. */
    Set<String> keys() {
        return counts.keySet();
    }

    boolean isEmpty() {
        return counts.isEmpty();
    }

    TopologyCounts copy() {
        HashMap<String, HashMap<String, long[]>> copy = new HashMap<>(Math.max(4, counts.size() * 2));
        counts.forEach((k, v) -> {
            HashMap<String, long[]> values = new HashMap<>(Math.max(4, v.size() * 2));
            v.forEach((value, count) -> values.put(value, new long[] {count[0]}));
            copy.put(k, values);
        });
        return new TopologyCounts(copy);
    }

    /** key -> value -> count, for tests. */
    Map<String, Map<String, Long>> asMap() {
        Map<String, Map<String, Long>> map = new HashMap<>();
        counts.forEach((k, v) -> {
            Map<String, Long> values = new HashMap<>();
            v.forEach((value, count) -> values.put(value, count[0]));
            map.put(k, values);
        });
        return map;
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}

package io.k4j.scheduler.plugins.interpodaffinity;

import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every placed pod, grouped by namespace and labels (what an affinity term can match on), with per-group counts per
 * topology pair, kept from one cycle to the next. An incoming pod's required terms are then checked once per group
 * instead of once per placed pod; a cycle re-reads only the nodes whose snapshot entry changed.
 */
final class PlacedPods extends NodeIndex<PlacedPods.NodeEntry> {

    /** Pods a term may match alike: same namespace, same labels. */
    record Labels(String namespace, Map<String, String> labels) {
    }

    /** One group: how many of its pods each node holds, and counts per topology key, built when first asked for. */
    static final class Group {
        final Labels labels;
        private final IdentityHashMap<NodeEntry, long[]> nodes = new IdentityHashMap<>();
        private final Map<String, TopologyCounts> byKey = new HashMap<>(2);

        Group(Labels labels) {
            this.labels = labels;
        }

        /** The group's pods counted per value of the topology key. */
        TopologyCounts counts(String topologyKey) {
            TopologyCounts counts = byKey.get(topologyKey);
            if (counts == null) {
                counts = new TopologyCounts();
                for (Map.Entry<NodeEntry, long[]> entry : nodes.entrySet()) {
                    counts.update(entry.getKey().nodeLabels, topologyKey, entry.getValue()[0]);
                }
                byKey.put(topologyKey, counts);
            }
            return counts;
        }

        void add(NodeEntry node, long delta) {
            long[] count = nodes.computeIfAbsent(node, n -> new long[1]);
            count[0] += delta;
            if (count[0] == 0) {
                nodes.remove(node);
            }
            byKey.forEach((key, counts) -> counts.update(node.nodeLabels, key, delta));
        }

        boolean isEmpty() {
            return nodes.isEmpty();
        }
    }

    /** What one node contributed when it was last read: its pods' groups (one entry per pod). */
    static final class NodeEntry {
        final List<Labels> pods;
        final Map<String, String> nodeLabels;

        NodeEntry(List<Labels> pods, Map<String, String> nodeLabels) {
            this.pods = pods;
            this.nodeLabels = nodeLabels;
        }
    }

    private final Map<Labels, Group> groups = new HashMap<>();

    @Override
    List<NodeInfo> candidates(Snapshot snapshot) {
        return snapshot.nodes();
    }

    @Override
    NodeEntry read(NodeInfo info) {
        if (info.pods().isEmpty()) {
            return null;
        }
        List<Labels> pods = new ArrayList<>(info.pods().size());
        for (PodInfo pod : info.pods()) {
            Map<String, String> labels = pod.pod().getMetadata().getLabels();
            pods.add(new Labels(pod.namespace(), labels == null ? Map.of() : labels));
        }
        return new NodeEntry(pods, info.labels());
    }

    @Override
    void apply(NodeEntry entry, long delta) {
        for (Labels pod : entry.pods) {
            Group group = groups.computeIfAbsent(pod, Group::new);
            group.add(entry, delta);
            if (group.isEmpty()) {
                groups.remove(pod);
            }
        }
    }

    /** Each group of placed pods; its counts are the index's own and must not be changed. */
    synchronized void forEach(Consumer<Group> action) {
        groups.values().forEach(action);
    }
}

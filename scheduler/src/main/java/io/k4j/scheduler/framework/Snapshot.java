package io.k4j.scheduler.framework;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster as one scheduling cycle sees it: every node with its pods, fixed for the cycle. Plugins only read it
 * (through {@link Handle#snapshot()}). Between cycles the cache brings it up to date in place, replacing just the
 * nodes that changed ({@link #put}, {@link #remove}, then {@link #seal}), so a cycle costs nothing per unchanged node.
 */
public final class Snapshot {

    private final List<NodeInfo> nodes = new ArrayList<>();
    private final Map<String, Integer> indexByName = new HashMap<>();
    private final List<NodeInfo> withAffinity = new ArrayList<>();
    private final List<NodeInfo> withRequiredAntiAffinity = new ArrayList<>();
    private final Map<String, Integer> imageNodeCounts = new HashMap<>();
    private boolean affinityDirty;
    private boolean imagesDirty;

    public Snapshot() {
    }

    /** A sealed snapshot of these nodes (tests, and preemption's what-ifs). */
    public static Snapshot of(List<NodeInfo> nodes) {
        Snapshot snapshot = new Snapshot();
        nodes.forEach(snapshot::put);
        return snapshot.seal();
    }

    public static Snapshot of(NodeInfo... nodes) {
        return of(List.of(nodes));
    }

    /** Cache only: adds a node or replaces the one with the same name. Nodes without a Node object are ignored. */
    public void put(NodeInfo info) {
        if (info.node() == null) {
            return;
        }
        Integer index = indexByName.get(info.name());
        NodeInfo previous = null;
        if (index == null) {
            indexByName.put(info.name(), nodes.size());
            nodes.add(info);
            imagesDirty |= !info.imageSizes().isEmpty();
        } else {
            previous = nodes.set(index, info);
            imagesDirty |= previous.imageSizes() != info.imageSizes();
        }
        affinityDirty |= !info.podsWithAffinity().isEmpty()
                || previous != null && !previous.podsWithAffinity().isEmpty();
    }

    /** Cache only: drops a node. */
    public void remove(String name) {
        Integer index = indexByName.remove(name);
        if (index == null) {
            return;
        }
        NodeInfo last = nodes.removeLast();
        NodeInfo removed = last;
        if (index < nodes.size()) {
            removed = nodes.set(index, last);
            indexByName.put(last.name(), index);
        }
        imagesDirty |= !removed.imageSizes().isEmpty();
        affinityDirty |= !removed.podsWithAffinity().isEmpty();
    }

    /** Cache only: rebuilds the derived indexes after a round of puts and removes. */
    public Snapshot seal() {
        if (affinityDirty) {
            withAffinity.clear();
            withRequiredAntiAffinity.clear();
            for (NodeInfo info : nodes) {
                if (!info.podsWithAffinity().isEmpty()) {
                    withAffinity.add(info);
                }
                if (!info.podsWithRequiredAntiAffinity().isEmpty()) {
                    withRequiredAntiAffinity.add(info);
                }
            }
            affinityDirty = false;
        }
        if (imagesDirty) {
            imageNodeCounts.clear();
            for (NodeInfo info : nodes) {
                for (String image : info.imageSizes().keySet()) {
                    imageNodeCounts.merge(image, 1, Integer::sum);
                }
            }
            imagesDirty = false;
        }
        return this;
    }

    public List<NodeInfo> nodes() {
        return nodes;
    }

    public int size() {
        return nodes.size();
    }

    /** The node, or null when there is no such node. */
    public NodeInfo get(String name) {
        Integer index = indexByName.get(name);
        return index == null ? null : nodes.get(index);
    }

    /** Nodes with at least one pod that has pod affinity or anti-affinity. */
    public List<NodeInfo> havePodsWithAffinity() {
        return withAffinity;
    }

    /** Nodes with at least one pod that has required anti-affinity. */
    public List<NodeInfo> havePodsWithRequiredAntiAffinity() {
        return withRequiredAntiAffinity;
    }

    /** On how many nodes an image (by any of its names) is present. */
    public int imageNodeCount(String image) {
        return imageNodeCounts.getOrDefault(image, 0);
    }
}

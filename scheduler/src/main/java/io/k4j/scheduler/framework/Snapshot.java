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
    private final Subset withAffinity = new Subset();
    private final Subset withRequiredAntiAffinity = new Subset();
    private final Map<String, Integer> imageNodeCounts = new HashMap<>();
    private boolean imagesDirty;
    /** Bumped by every put and remove; {@link #journal} names the node each bump was for. */
    private long version;
    private long journalStart;
    private final List<String> journal = new ArrayList<>();
    /** Past this many changes the journal starts over, and readers that fell behind rescan. */
    private static final int MAX_JOURNAL = 65_536;

    /**
     * The nodes with some kind of pod, kept in place: a changed node takes its old slot, a node that joins is
     * appended, one that leaves is swapped with the last. Rebuilding it would cost every node on every cycle of a
     * workload whose pods all carry affinity.
     */
    private static final class Subset {
        final List<NodeInfo> nodes = new ArrayList<>();
        final Map<String, Integer> index = new HashMap<>();

        void set(String name, NodeInfo info, boolean member) {
            Integer at = index.get(name);
            if (member && at != null) {
                nodes.set(at, info);
            } else if (member) {
                index.put(name, nodes.size());
                nodes.add(info);
            } else if (at != null) {
                remove(name);
            }
        }

        void remove(String name) {
            Integer at = index.remove(name);
            if (at == null) {
                return;
            }
            NodeInfo last = nodes.removeLast();
            if (at < nodes.size()) {
                nodes.set(at, last);
                index.put(last.name(), at);
            }
        }
    }

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
        if (index == null) {
            indexByName.put(info.name(), nodes.size());
            nodes.add(info);
            imagesDirty |= !info.imageSizes().isEmpty();
        } else {
            NodeInfo previous = nodes.set(index, info);
            imagesDirty |= previous.imageSizes() != info.imageSizes();
        }
        withAffinity.set(info.name(), info, !info.podsWithAffinity().isEmpty());
        withRequiredAntiAffinity.set(info.name(), info, !info.podsWithRequiredAntiAffinity().isEmpty());
        changed(info.name());
    }

    private void changed(String name) {
        if (journal.size() >= MAX_JOURNAL) {
            journal.clear();
            journalStart = version;
        }
        version++;
        journal.add(name);
    }

    /** Counts changes: plugins that keep indexes across cycles remember it and ask {@link #changedSince} later. */
    public long version() {
        return version;
    }

    /**
     * The names of the nodes put or removed since a {@link #version()} (a name may come more than once); false when
     * that is too long ago to tell, and the caller must read every node again.
     */
    public boolean changedSince(long since, java.util.function.Consumer<String> names) {
        if (since < journalStart || since > version) {
            return false;
        }
        for (int i = (int) (since - journalStart), n = journal.size(); i < n; i++) {
            names.accept(journal.get(i));
        }
        return true;
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
        withAffinity.remove(name);
        withRequiredAntiAffinity.remove(name);
        changed(name);
    }

    /** Cache only: rebuilds the image counts after a round of puts and removes, if images changed. */
    public Snapshot seal() {
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
        return withAffinity.nodes;
    }

    /** Nodes with at least one pod that has required anti-affinity. */
    public List<NodeInfo> havePodsWithRequiredAntiAffinity() {
        return withRequiredAntiAffinity.nodes;
    }

    /** On how many nodes an image (by any of its names) is present. */
    public int imageNodeCount(String image) {
        return imageNodeCounts.getOrDefault(image, 0);
    }
}

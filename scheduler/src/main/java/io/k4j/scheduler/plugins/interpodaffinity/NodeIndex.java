package io.k4j.scheduler.plugins.interpodaffinity;

import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.Snapshot;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Something a plugin reads from every node, kept from one cycle to the next: each cycle re-reads only the nodes the
 * snapshot says changed since the last ({@link Snapshot#changedSince}), and everything when it is another snapshot
 * or too far behind. Only the scheduling thread refreshes it.
 *
 * @param <E> what one node contributes
 */
abstract class NodeIndex<E> {

    private final Map<String, E> byName = new HashMap<>();
    private Snapshot last;
    private long lastVersion;

    /** The nodes that may contribute, for a full read. */
    abstract List<NodeInfo> candidates(Snapshot snapshot);

    /** A node's contribution, or null when it has none. */
    abstract E read(NodeInfo info);

    /** Adds (delta 1) or takes away (delta -1) one node's contribution. */
    abstract void apply(E entry, long delta);

    final synchronized void refresh(Snapshot snapshot) {
        if (snapshot == last && snapshot.version() == lastVersion) {
            return;
        }
        Set<String> changed = new HashSet<>();
        if (snapshot != last || !snapshot.changedSince(lastVersion, changed::add)) {
            byName.values().forEach(entry -> apply(entry, -1));
            byName.clear();
            for (NodeInfo info : candidates(snapshot)) {
                add(info);
            }
        } else {
            for (String name : changed) {
                E old = byName.remove(name);
                if (old != null) {
                    apply(old, -1);
                }
                NodeInfo info = snapshot.get(name);
                if (info != null) {
                    add(info);
                }
            }
        }
        last = snapshot;
        lastVersion = snapshot.version();
    }

    private void add(NodeInfo info) {
        E entry = read(info);
        if (entry != null) {
            apply(entry, 1);
            byName.put(info.name(), entry);
        }
    }
}

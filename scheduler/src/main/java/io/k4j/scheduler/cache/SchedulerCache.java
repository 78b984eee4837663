package io.k4j.scheduler.cache;

import io.fabric8.kubernetes.api.model.Node;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.Snapshot;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the scheduler knows of nodes and the pods on them, kept up to date by informer events, plus pods it has
 * <em>assumed</em> onto a node between Reserve and the moment the informer shows them bound. Each cycle takes
 * {@link #updateSnapshot}: only nodes changed since the last one are copied, so a cycle does not pay for 5,000
 * unchanged nodes.
 *
 * <p>Thread-safe: informer threads write, the scheduling thread snapshots, binding threads confirm or forget.
 */
public final class SchedulerCache {

    private enum PodState { ASSUMED, BINDING_FINISHED, ADDED }

    private record CachedPod(PodInfo pod, String node, PodState state) {
    }

    private final Map<String, NodeInfo> nodes = new HashMap<>();
    private final Map<String, CachedPod> pods = new HashMap<>();
    /**
     * Replaced, not cleared, after each snapshot: a set keeps the table it grew to (8,192 slots once every node of
     * a 5,000-node cluster was added), and clearing or iterating it walks every slot, on every cycle.
     */
    private Set<String> changedNodes = new HashSet<>();

    private static String uid(PodInfo pod) {
        return pod.uid() != null ? pod.uid() : pod.key();
    }

    public synchronized void addNode(Node node) {
        String name = node.getMetadata().getName();
        NodeInfo info = nodes.get(name);
        if (info == null) {
            nodes.put(name, new NodeInfo(node));
        } else {
            info.setNode(node);
        }
        changedNodes.add(name);
    }

    public synchronized void updateNode(Node node) {
        addNode(node);
    }

    /** Forgets the node; its pods stay accounted under its name until they are deleted (upstream does the same). */
    public synchronized void removeNode(String name) {
        NodeInfo info = nodes.get(name);
        if (info == null) {
            return;
        }
        if (info.pods().isEmpty()) {
            nodes.remove(name);
        } else {
            info.setNode(null);
        }
        changedNodes.add(name);
    }

    /** Puts a pod on its node as if bound, before the API confirms it. */
    public synchronized void assumePod(PodInfo pod, String node) {
        String uid = uid(pod);
        if (pods.containsKey(uid)) {
            throw new IllegalStateException("pod " + pod.key() + " is already in the cache");
        }
        addToNode(pod, node);
        pods.put(uid, new CachedPod(pod, node, PodState.ASSUMED));
    }

    /** The bind call returned; the pod stays assumed until the informer shows it bound. */
    public synchronized void finishBinding(PodInfo pod) {
        CachedPod cached = pods.get(uid(pod));
        if (cached != null && cached.state == PodState.ASSUMED) {
            pods.put(uid(pod), new CachedPod(cached.pod, cached.node, PodState.BINDING_FINISHED));
        }
    }

    /** Undoes {@link #assumePod} after a failed reserve, permit or bind. */
    public synchronized void forgetPod(PodInfo pod) {
        CachedPod cached = pods.get(uid(pod));
        if (cached != null && cached.state != PodState.ADDED) {
            removeFromNode(cached.pod, cached.node);
            pods.remove(uid(pod));
        }
    }

    /** A bound pod from the informer (it confirms an assumed pod, or is new to us). */
    public synchronized void addPod(PodInfo pod) {
        String uid = uid(pod);
        CachedPod cached = pods.get(uid);
        if (cached != null) {
            removeFromNode(cached.pod, cached.node);
        }
        addToNode(pod, pod.nodeName());
        pods.put(uid, new CachedPod(pod, pod.nodeName(), PodState.ADDED));
    }

    public synchronized void updatePod(PodInfo pod) {
        addPod(pod);
    }

    public synchronized void removePod(PodInfo pod) {
        CachedPod cached = pods.remove(uid(pod));
        if (cached != null) {
            removeFromNode(cached.pod, cached.node);
        }
    }

    public synchronized boolean isAssumed(PodInfo pod) {
        CachedPod cached = pods.get(uid(pod));
        return cached != null && cached.state != PodState.ADDED;
    }

    public synchronized int podCount() {
        return pods.size();
    }

    private void addToNode(PodInfo pod, String node) {
        nodes.computeIfAbsent(node, name -> new NodeInfo(null)).addPod(pod);
        changedNodes.add(node);
    }

    private void removeFromNode(PodInfo pod, String node) {
        NodeInfo info = nodes.get(node);
        if (info == null) {
            return;
        }
        info.removePod(pod);
        if (info.node() == null && info.pods().isEmpty()) {
            nodes.remove(node);
        }
        changedNodes.add(node);
    }

    /** Brings the snapshot up to date with copies of the nodes that changed since the last call. */
    public synchronized void updateSnapshot(Snapshot snapshot) {
        for (String name : changedNodes) {
            NodeInfo info = nodes.get(name);
            if (info == null || info.node() == null) {
                snapshot.remove(name);
            } else {
                snapshot.put(info.copy());
            }
        }
        changedNodes = new HashSet<>();
        snapshot.seal();
    }
}

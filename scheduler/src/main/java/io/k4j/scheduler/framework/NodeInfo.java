package io.k4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One node and the pods on it, with the sums the filters need: requested resources, host ports in use, and which
 * pods carry (anti-)affinity. The cache owns the live ones and hands each cycle copies in a {@link Snapshot}; plugins
 * must not change a NodeInfo except a copy they made (preemption does).
 */
public final class NodeInfo {

    public static final String HOSTNAME_LABEL = "kubernetes.io/hostname";

    private Node node;
    /*
     * Facts of the node read by every filter on every node, kept here: reading them through the Node object chases
     * three or four pointers into objects scattered over the heap, and with 5,000 nodes those cache misses were a
     * third of the scheduling loop (docs/benchmarks.md).
     */
    private String name;
    private boolean unschedulable;
    private List<Taint> taints;
    private Map<String, String> labels;
    /** The kubernetes.io/hostname label, the usual topology key of anti-affinity and spreading. */
    private String hostnameLabel;
    private final List<PodInfo> pods;
    private final List<PodInfo> podsWithAffinity;
    private final List<PodInfo> podsWithRequiredAntiAffinity;
    private final List<HostPort> usedPorts;
    private final Resources requested;
    private final Resources nonZeroRequested;
    private Resources allocatable;
    private Map<String, Long> imageSizes;
    /** Bumped on every change, so the cache copies only nodes that changed into the next snapshot. */
    private long generation;

    public NodeInfo(Node node) {
        this.pods = new ArrayList<>();
        this.podsWithAffinity = new ArrayList<>(0);
        this.podsWithRequiredAntiAffinity = new ArrayList<>(0);
        this.usedPorts = new ArrayList<>(0);
        this.requested = new Resources();
        this.nonZeroRequested = new Resources();
        setNode(node);
    }

    private NodeInfo(NodeInfo other) {
        this.node = other.node;
        this.name = other.name;
        this.unschedulable = other.unschedulable;
        this.taints = other.taints;
        this.labels = other.labels;
        this.hostnameLabel = other.hostnameLabel;
        this.pods = new ArrayList<>(other.pods);
        this.podsWithAffinity = new ArrayList<>(other.podsWithAffinity);
        this.podsWithRequiredAntiAffinity = new ArrayList<>(other.podsWithRequiredAntiAffinity);
        this.usedPorts = new ArrayList<>(other.usedPorts);
        this.requested = other.requested.copy();
        this.nonZeroRequested = other.nonZeroRequested.copy();
        this.allocatable = other.allocatable.copy(); // next to the copy's other sums in memory, read with them
        this.imageSizes = other.imageSizes;
        this.generation = other.generation;
    }

    /** A copy whose pod lists and sums can change independently (the Node object itself is shared, read-only). */
    public NodeInfo copy() {
        return new NodeInfo(this);
    }

    /** The node, or null while the cache knows pods bound to a node it has not seen yet. */
    public Node node() {
        return node;
    }

    /** The node's name; null while the node is not known. */
    public String name() {
        return name;
    }

    /** The node's spec.unschedulable. */
    public boolean unschedulable() {
        return unschedulable;
    }

    /** The node's labels, never null. */
    public Map<String, String> labels() {
        return labels;
    }

    /** One label's value, or null; the hostname label without a lookup in the node's labels. */
    public String label(String key) {
        return HOSTNAME_LABEL.equals(key) ? hostnameLabel : labels.get(key);
    }

    /** The node's spec.taints, never null. */
    public List<Taint> taints() {
        return taints;
    }

    public void setNode(Node node) {
        this.node = node;
        this.name = node == null || node.getMetadata() == null ? null : node.getMetadata().getName();
        Map<String, String> nodeLabels = node == null || node.getMetadata() == null ? null : node.getMetadata().getLabels();
        this.labels = nodeLabels == null ? Map.of() : nodeLabels;
        this.hostnameLabel = labels.get(HOSTNAME_LABEL);
        NodeSpec spec = node == null ? null : node.getSpec();
        this.unschedulable = spec != null && Boolean.TRUE.equals(spec.getUnschedulable());
        // the model's empty list is an object of its own: the shared empty list is one miss less per node
        this.taints = spec == null || spec.getTaints() == null || spec.getTaints().isEmpty() ? List.of() : spec.getTaints();
        if (node != null) {
            this.allocatable = Resources.of(node.getStatus() == null ? null : node.getStatus().getAllocatable());
            Map<String, Long> images = new HashMap<>();
            if (node.getStatus() != null && node.getStatus().getImages() != null) {
                for (ContainerImage image : node.getStatus().getImages()) {
                    long size = image.getSizeBytes() == null ? 0 : image.getSizeBytes();
                    if (image.getNames() != null) {
                        image.getNames().forEach(name -> images.put(name, size));
                    }
                }
            }
            this.imageSizes = images.isEmpty() ? Map.of() : images;
        } else {
            this.allocatable = new Resources();
            this.imageSizes = Map.of();
        }
        generation++;
    }

    public List<PodInfo> pods() {
        return pods;
    }

    public List<PodInfo> podsWithAffinity() {
        return podsWithAffinity;
    }

    public List<PodInfo> podsWithRequiredAntiAffinity() {
        return podsWithRequiredAntiAffinity;
    }

    public List<HostPort> usedPorts() {
        return usedPorts;
    }

    /** Sum of the pods' requests. */
    public Resources requested() {
        return requested;
    }

    /** Sum of the pods' requests with the scorers' defaults for missing CPU and memory requests. */
    public Resources nonZeroRequested() {
        return nonZeroRequested;
    }

    /** The node's status.allocatable. */
    public Resources allocatable() {
        return allocatable;
    }

    /** Image names present on the node (status.images), with their sizes in bytes. */
    public Map<String, Long> imageSizes() {
        return imageSizes;
    }

    public long generation() {
        return generation;
    }

    public void addPod(PodInfo pod) {
        pods.add(pod);
        if (hasAffinity(pod.pod())) {
            podsWithAffinity.add(pod);
        }
        if (hasRequiredAntiAffinity(pod.pod())) {
            podsWithRequiredAntiAffinity.add(pod);
        }
        requested.add(pod.requests());
        nonZeroRequested.add(pod.nonZeroRequests());
        usedPorts.addAll(HostPort.of(pod.pod()));
        generation++;
    }

    /** Removes the pod with this pod's UID (or key); false when it was not here. */
    public boolean removePod(PodInfo pod) {
        int index = indexOf(pods, pod);
        if (index < 0) {
            return false;
        }
        PodInfo removed = pods.remove(index);
        int i = indexOf(podsWithAffinity, removed);
        if (i >= 0) {
            podsWithAffinity.remove(i);
        }
        i = indexOf(podsWithRequiredAntiAffinity, removed);
        if (i >= 0) {
            podsWithRequiredAntiAffinity.remove(i);
        }
        requested.subtract(removed.requests());
        nonZeroRequested.subtract(removed.nonZeroRequests());
        for (HostPort port : HostPort.of(removed.pod())) {
            usedPorts.remove(port);
        }
        generation++;
        return true;
    }

    private static int indexOf(List<PodInfo> list, PodInfo pod) {
        for (int i = 0; i < list.size(); i++) {
            PodInfo candidate = list.get(i);
            if (candidate == pod || sameUid(candidate, pod) || candidate.key().equals(pod.key())) {
                return i;
            }
        }
        return -1;
    }

    private static boolean sameUid(PodInfo a, PodInfo b) {
        return a.uid() != null && a.uid().equals(b.uid());
    }

    public static boolean hasAffinity(Pod pod) {
        var affinity = pod.getSpec().getAffinity();
        return affinity != null && (affinity.getPodAffinity() != null || affinity.getPodAntiAffinity() != null);
    }

    public static boolean hasRequiredAntiAffinity(Pod pod) {
        var affinity = pod.getSpec().getAffinity();
        return affinity != null && affinity.getPodAntiAffinity() != null
                && affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null
                && !affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().isEmpty();
    }

    @Override
    public String toString() {
        return (node == null ? "<no node>" : name()) + " pods=" + pods.size() + " requested=" + requested;
    }
}

package io.k4j.simulation;

import io.fabric8.kubernetes.api.model.Node;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which simulated nodes play dead: the annotation {@code simulation.k4j.io/heartbeat: "stopped"} on a node stops
 * its Lease renewals and status reports and its pods' acting, as if its kubelet had lost the network; removing it
 * (or any other value) resumes them. Read from the node informer.
 */
final class Heartbeats {

    static final String ANNOTATION = "simulation.k4j.io/heartbeat";
    static final String STOPPED = "stopped";

    private final Set<String> stopped = ConcurrentHashMap.newKeySet();

    boolean beating(String node) {
        return !stopped.contains(node);
    }

    /** Records the node's annotation; true when this resumes a heartbeat that was stopped. */
    boolean update(Node node) {
        Map<String, String> annotations = node.getMetadata().getAnnotations();
        String name = node.getMetadata().getName();
        if (annotations != null && STOPPED.equals(annotations.get(ANNOTATION))) {
            stopped.add(name);
            return false;
        }
        return stopped.remove(name);
    }

    void forget(String node) {
        stopped.remove(node);
    }
}

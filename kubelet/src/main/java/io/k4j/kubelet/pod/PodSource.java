package io.k4j.kubelet.pod;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * The pods the API assigns to this node, as the kubelet's pod informer holds them. Workers read pods from here, not
 * from the informer's event notifications: those are delivered later than the store is filled, and a restarted
 * kubelet that counted pods from notifications alone took a pod listed but not yet notified for an orphan.
 */
public interface PodSource {

    /** The pod with this uid, or null when the API has none on this node. */
    Pod get(String uid);

    List<Pod> list();
}

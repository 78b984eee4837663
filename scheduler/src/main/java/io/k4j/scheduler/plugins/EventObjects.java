package io.k4j.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PodInfo;

/**
 * Reads the objects a queueing hint is handed (the old and new object of a cluster event, either may be null) as
 * the API types, whichever wrapper the queue passes them in.
 */
public final class EventObjects {

    private EventObjects() {
    }

    /** The pod in a Pod or PodInfo, or null. */
    public static Pod pod(Object object) {
        if (object instanceof Pod pod) {
            return pod;
        }
        if (object instanceof PodInfo info) {
            return info.pod();
        }
        return null;
    }

    /** The node in a Node or NodeInfo, or null. */
    public static Node node(Object object) {
        if (object instanceof Node node) {
            return node;
        }
        if (object instanceof NodeInfo info) {
            return info.node();
        }
        return null;
    }

    /** True when both pods carry the same UID (or, without UIDs, the same namespace and name). */
    public static boolean samePod(Pod a, Pod b) {
        if (a == null || b == null) {
            return false;
        }
        String uidA = a.getMetadata().getUid();
        String uidB = b.getMetadata().getUid();
        if (uidA != null && !uidA.isEmpty() && uidB != null && !uidB.isEmpty()) {
            return uidA.equals(uidB);
        }
        return PodInfo.key(a).equals(PodInfo.key(b));
    }
}

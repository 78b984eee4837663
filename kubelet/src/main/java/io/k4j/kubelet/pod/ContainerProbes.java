package io.k4j.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;

/** What the pod workers need from the prober: workers per started container, and their current results. */
public interface ContainerProbes {

    void add(Pod pod, Container container, String containerId, String podIp, Instant startedAt);

    void remove(String containerId);

    void removePod(String podUid);

    /** The pod is being deleted: liveness and startup stop (it is never restarted now), readiness goes on. */
    void podTerminating(String podUid);

    /** Readiness of a running container (true when it has no readiness probe). */
    boolean ready(String containerId);

    /** Whether the startup probe passed (true when it has none). */
    boolean started(String containerId);
}

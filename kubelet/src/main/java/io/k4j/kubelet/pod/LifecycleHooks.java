package io.k4j.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.k4j.kubelet.prober.HookResult;
import java.time.Duration;

/** Runs a container's postStart and preStop handlers (none configured: success at once). */
public interface LifecycleHooks {

    HookResult postStart(Pod pod, Container container, String containerId, String podIp, Duration timeout);

    /** Runs within {@code gracePeriod}, not at all with none. */
    HookResult preStop(Pod pod, Container container, String containerId, String podIp, Duration gracePeriod);
}

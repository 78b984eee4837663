package io.k4j.kubelet.pod;

import io.fabric8.kubernetes.api.model.LifecycleHandler;
import java.time.Duration;
import java.util.Optional;

/** Runs postStart and preStop handlers; returns the failure message, if it failed. */
public interface LifecycleHooks {

    Optional<String> run(LifecycleHandler handler, String containerId, String podIp, Duration timeout);
}

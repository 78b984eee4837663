package io.k4j.kubelet.prober;

import java.util.OptionalLong;

/** What the probe manager tells the kubelet; called from probe threads, so implementations only enqueue work. */
public interface ProbeListener {

    /**
     * A liveness or startup probe failed failureThreshold times in a row: the container instance must be killed
     * and restarted. Called once per container instance; its probes stop.
     *
     * @param message            upstream's kill message, "Container NAME failed liveness probe" (or "startup
     *                           probe"); upstream's Killing event appends ", will be restarted" when it restarts
     * @param gracePeriodSeconds the probe's terminationGracePeriodSeconds, which replaces the pod's for this kill
     */
    void livenessFailed(String podUid, String containerName, String containerId, String message,
            OptionalLong gracePeriodSeconds);

    /** A container's readiness or started state changed: the pod's status needs writing. */
    void resultsChanged(String podUid);

    /**
     * A probe run failed, warned or could not run: record a Warning event on the pod with this reason
     * ("Unhealthy" or "ProbeWarning") and message (e.g. "Liveness probe failed: ...").
     */
    void probeEvent(String podUid, String containerName, ProbeType type, String reason, String message);
}

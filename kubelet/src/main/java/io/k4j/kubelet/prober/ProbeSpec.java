package io.k4j.kubelet.prober;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.util.OptionalLong;

/** A container probe with upstream's defaults filled in, and how to run it once. */
record ProbeSpec(ProbeType type, Probe probe, int initialDelaySeconds, int periodSeconds, int timeoutSeconds,
        int successThreshold, int failureThreshold, OptionalLong terminationGracePeriodSeconds) {

    static ProbeSpec of(ProbeType type, Probe probe) {
        // The API server defaults and validates these; a kubelet fed a raw spec still gets upstream's values.
        int success = positiveOr(probe.getSuccessThreshold(), 1);
        if (type != ProbeType.READINESS) {
            success = 1; // upstream validation requires 1 for liveness and startup
        }
        return new ProbeSpec(type, probe, Math.max(0, orElse(probe.getInitialDelaySeconds(), 0)),
                positiveOr(probe.getPeriodSeconds(), 10), positiveOr(probe.getTimeoutSeconds(), 1), success,
                positiveOr(probe.getFailureThreshold(), 3),
                probe.getTerminationGracePeriodSeconds() == null || type == ProbeType.READINESS ? OptionalLong.empty()
                        : OptionalLong.of(probe.getTerminationGracePeriodSeconds()));
    }

    Duration period() {
        return Duration.ofSeconds(periodSeconds);
    }

    ProbeResult run(ProbeActions actions, Container container, String containerId, String podIp) {
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        if (probe.getExec() != null) {
            return HandlerTargets.exec(actions, probe.getExec(), containerId, timeout);
        }
        if (probe.getHttpGet() != null) {
            return HandlerTargets.httpGet(actions, probe.getHttpGet(), container, podIp, timeout,
                    ProbeActions.PROBE_USER_AGENT);
        }
        if (probe.getTcpSocket() != null) {
            return HandlerTargets.tcp(actions, probe.getTcpSocket(), container, podIp, timeout);
        }
        if (probe.getGrpc() != null) {
            return ProbeResult.error("gRPC probes are not supported by this kubelet");
        }
        return ProbeResult.error("missing probe handler for container " + container.getName());
    }

    private static int orElse(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static int positiveOr(Integer value, int fallback) {
        return value == null || value < 1 ? fallback : value;
    }
}

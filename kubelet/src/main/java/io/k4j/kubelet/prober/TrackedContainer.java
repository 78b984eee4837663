package io.k4j.kubelet.prober;

import io.fabric8.kubernetes.api.model.Container;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/** One container instance under probes and its current results (upstream's initial values until a probe decides). */
final class TrackedContainer {

    private final String podUid;
    private final Container container;
    private final String containerId;
    private final String podIp;
    private final Instant startedAt;
    private final Map<ProbeType, ProbeWorker> workers = new EnumMap<>(ProbeType.class);
    private final Map<ProbeType, Boolean> passing = new EnumMap<>(ProbeType.class);

    TrackedContainer(String podUid, Container container, String containerId, String podIp, Instant startedAt) {
        this.podUid = podUid;
        this.container = container;
        this.containerId = containerId;
        this.podIp = podIp;
        this.startedAt = startedAt;
    }

    void addWorker(ProbeWorker worker) {
        workers.put(worker.type(), worker);
        // Upstream's initial results: liveness passes, readiness fails, startup is unknown (not started).
        passing.put(worker.type(), worker.type() == ProbeType.LIVENESS);
    }

    Map<ProbeType, ProbeWorker> workers() {
        return workers;
    }

    synchronized boolean started() {
        return !workers.containsKey(ProbeType.STARTUP) || passing.get(ProbeType.STARTUP);
    }

    synchronized boolean ready() {
        return started() && (!workers.containsKey(ProbeType.READINESS) || passing.get(ProbeType.READINESS));
    }

    /** Records a result; true when it changed. */
    synchronized boolean set(ProbeType type, boolean passed) {
        return !Boolean.valueOf(passed).equals(passing.put(type, passed));
    }

    String podUid() {
        return podUid;
    }

    Container container() {
        return container;
    }

    String containerId() {
        return containerId;
    }

    String podIp() {
        return podIp;
    }

    Instant startedAt() {
        return startedAt;
    }
}

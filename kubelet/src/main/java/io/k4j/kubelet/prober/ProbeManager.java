package io.k4j.kubelet.prober;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's prober manager for one kubelet: liveness, readiness and startup workers per running container
 * instance, and the readiness / started answers pod status is built from. The kubelet adds every container
 * instance it starts (also those without probes) and removes it when the instance stops; after a failed liveness or
 * startup probe it kills the instance and adds the new one.
 */
public final class ProbeManager implements io.k4j.kubelet.pod.ContainerProbes, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeManager.class);

    private final ProbeActions actions;
    private final TaskScheduler scheduler;
    private final InstantSource clock;
    private final ProbeListener listener;
    private final DoubleSupplier jitter;
    private final Instant createdAt;
    private final Map<String, TrackedContainer> containers = new ConcurrentHashMap<>();

    /** A manager whose first probes, within a period of its creation, start at random points of their period. */
    public ProbeManager(ProbeActions actions, TaskScheduler scheduler, InstantSource clock, ProbeListener listener) {
        this(actions, scheduler, clock, listener, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param jitter fractions in [0, 1): like upstream, a worker started less than its period after the kubelet
     *               waits this fraction of its period before its first run, so a restarted kubelet does not probe
     *               every container at once ({@code () -> 0} turns it off)
     */
    public ProbeManager(ProbeActions actions, TaskScheduler scheduler, InstantSource clock, ProbeListener listener,
            DoubleSupplier jitter) {
        this.actions = actions;
        this.scheduler = scheduler;
        this.clock = clock;
        this.listener = listener;
        this.jitter = jitter;
        this.createdAt = clock.instant();
    }

    /** Starts the probes of a started container instance; a second add of the same id changes nothing. */
    @Override
    public void add(Pod pod, Container container, String containerId, String podIp, Instant startedAt) {
        TrackedContainer target = new TrackedContainer(pod.getMetadata().getUid(), container, containerId, podIp,
                startedAt);
        addWorker(target, ProbeType.STARTUP, container.getStartupProbe());
        addWorker(target, ProbeType.LIVENESS, container.getLivenessProbe());
        addWorker(target, ProbeType.READINESS, container.getReadinessProbe());
        if (containers.putIfAbsent(containerId, target) == null) {
            target.workers().values().forEach(ProbeWorker::start);
        }
    }

    private void addWorker(TrackedContainer target, ProbeType type, Probe probe) {
        if (probe != null) {
            target.addWorker(new ProbeWorker(this, target, ProbeSpec.of(type, probe)));
        }
    }

    @Override
    public void remove(String containerId) {
        TrackedContainer removed = containers.remove(containerId);
        if (removed != null) {
            removed.workers().values().forEach(ProbeWorker::stop);
        }
    }

    @Override
    public void removePod(String podUid) {
        List<String> ids = containers.values().stream().filter(c -> c.podUid().equals(podUid))
                .map(TrackedContainer::containerId).toList();
        ids.forEach(this::remove);
    }

    /**
     * The pod is being deleted: like upstream, liveness and startup probes stop and count as passed, so a pod in
     * its grace period is never restarted; readiness keeps probing until the containers stop.
     */
    @Override
    public void podTerminating(String podUid) {
        for (TrackedContainer target : List.copyOf(containers.values())) {
            if (!target.podUid().equals(podUid)) {
                continue;
            }
            boolean changed = false;
            for (ProbeType type : List.of(ProbeType.LIVENESS, ProbeType.STARTUP)) {
                ProbeWorker worker = target.workers().get(type);
                if (worker != null) {
                    worker.stop();
                    changed |= target.set(type, true) && type == ProbeType.STARTUP;
                }
            }
            if (changed) {
                listener.resultsChanged(podUid);
                triggerReadiness(target);
            }
        }
    }

    /** Upstream's container ready: started, and its readiness probe passing (a container without one is ready). */
    @Override
    public boolean ready(String containerId) {
        TrackedContainer target = containers.get(containerId);
        return target != null && target.ready();
    }

    /** Upstream's container started: its startup probe passed, or it has none. */
    @Override
    public boolean started(String containerId) {
        TrackedContainer target = containers.get(containerId);
        return target != null && target.started();
    }

    @Override
    public void close() {
        List.copyOf(containers.keySet()).forEach(this::remove);
    }

    /** How long a new worker waits before its first run (upstream's restart jitter). */
    Duration firstRunDelay(Duration period) {
        if (Duration.between(createdAt, clock.instant()).compareTo(period) >= 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) (jitter.getAsDouble() * period.toNanos()));
    }

    InstantSource clock() {
        return clock;
    }

    TaskScheduler scheduler() {
        return scheduler;
    }

    ProbeResult run(TrackedContainer target, ProbeSpec spec) {
        try {
            return spec.run(actions, target.container(), target.containerId(), target.podIp());
        } catch (RuntimeException e) {
            LOG.warn("{} probe of container {} threw", spec.type().label(), target.containerId(), e);
            return ProbeResult.error(String.valueOf(e.getMessage()));
        }
    }

    /** Upstream's per-run events: Unhealthy on a failure or error, ProbeWarning on a warning. */
    void reportRun(TrackedContainer target, ProbeType type, ProbeResult result) {
        if (containers.get(target.containerId()) != target) {
            return; // removed while the probe ran
        }
        String name = target.container().getName();
        switch (result.outcome()) {
            case FAILURE -> listener.probeEvent(target.podUid(), name, type, "Unhealthy",
                    type.label() + " probe failed: " + result.output());
            case ERROR -> listener.probeEvent(target.podUid(), name, type, "Unhealthy",
                    type.label() + " probe errored: " + result.output());
            case WARNING -> listener.probeEvent(target.podUid(), name, type, "ProbeWarning",
                    type.label() + " probe warning: " + result.output());
            case SUCCESS -> {
            }
        }
    }

    void setResult(TrackedContainer target, ProbeSpec spec, boolean passed) {
        if (containers.get(target.containerId()) != target) {
            return; // removed while the probe ran
        }
        boolean changed = target.set(spec.type(), passed);
        if (!passed && spec.type() != ProbeType.READINESS) {
            String name = target.container().getName();
            listener.livenessFailed(target.podUid(), name, target.containerId(),
                    "Container " + name + " failed " + spec.type().label().toLowerCase(Locale.ROOT) + " probe",
                    spec.terminationGracePeriodSeconds());
        }
        if (changed && spec.type() != ProbeType.LIVENESS) {
            listener.resultsChanged(target.podUid());
        }
        if (changed && passed && spec.type() == ProbeType.STARTUP) {
            triggerReadiness(target);
        }
    }

    /** Upstream triggers readiness as soon as the pod syncs after start-up; do it straight away. */
    private static void triggerReadiness(TrackedContainer target) {
        ProbeWorker readiness = target.workers().get(ProbeType.READINESS);
        if (readiness != null) {
            readiness.triggerNow();
        }
    }
}

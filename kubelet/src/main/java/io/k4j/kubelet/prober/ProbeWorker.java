package io.k4j.kubelet.prober;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes one container instance with one probe, like upstream's worker: a first run right away (after a random
 * part of the period while the kubelet is younger than the period), then one every
 * periodSeconds on a fixed tick; runs within initialDelaySeconds of the container's start are skipped (so the first
 * real probe is the first tick at or after the delay), and a result only changes after successThreshold passes or
 * failureThreshold failures in a row.
 */
final class ProbeWorker {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeWorker.class);

    private final ProbeManager manager;
    private final TrackedContainer target;
    private final ProbeSpec spec;
    private final ReentrantLock probing = new ReentrantLock();
    private Instant firstTick;
    private long tickNumber;
    private TaskScheduler.Cancellable pending;
    private volatile boolean stopped;
    private boolean lastPassed;
    private int sameResultRun;

    ProbeWorker(ProbeManager manager, TrackedContainer target, ProbeSpec spec) {
        this.manager = manager;
        this.target = target;
        this.spec = spec;
    }

    ProbeType type() {
        return spec.type();
    }

    ProbeSpec spec() {
        return spec;
    }

    void start() {
        Duration wait = manager.firstRunDelay(spec.period());
        firstTick = manager.clock().instant().plus(wait);
        reschedule(wait);
    }

    /** An extra run now, outside the ticks (upstream's manual trigger of readiness). */
    void triggerNow() {
        manager.scheduler().schedule(this::probeSafely, Duration.ZERO);
    }

    void stop() {
        stopped = true;
        synchronized (this) {
            if (pending != null) {
                pending.cancel();
            }
        }
    }

    private void tick() {
        if (probeSafely() && !stopped) {
            Instant now = manager.clock().instant();
            Duration period = spec.period();
            do {
                tickNumber++;
            } while (!firstTick.plus(period.multipliedBy(tickNumber)).isAfter(now));
            reschedule(Duration.between(now, firstTick.plus(period.multipliedBy(tickNumber))));
        }
    }

    private synchronized void reschedule(Duration delay) {
        if (!stopped) {
            pending = manager.scheduler().schedule(this::tick, delay);
        }
    }

    /** Like upstream's worker, a crash in one run does not end the probing. */
    private boolean probeSafely() {
        try {
            return probeUnlessStopped();
        } catch (RuntimeException e) {
            LOG.warn("{} probe of container {} failed unexpectedly", spec.type().label(), target.containerId(), e);
            return true;
        }
    }

    /** One run; false once this worker has nothing more to do for this container instance. */
    private boolean probeUnlessStopped() {
        probing.lock();
        try {
            return !stopped && probeOnce();
        } finally {
            probing.unlock();
        }
    }

    private boolean probeOnce() {
        Instant now = manager.clock().instant();
        if (Duration.between(target.startedAt(), now).getSeconds() < spec.initialDelaySeconds()) {
            return true;
        }
        boolean started = target.started();
        if (spec.type() == ProbeType.STARTUP && started) {
            return false; // upstream never runs a startup probe again once it passed
        }
        if (spec.type() != ProbeType.STARTUP && !started) {
            return true; // liveness and readiness wait for the startup probe
        }
        ProbeResult result = manager.run(target, spec);
        if (stopped) {
            return false; // removed, or the pod began terminating, while the probe ran
        }
        manager.reportRun(target, spec.type(), result);
        if (result.outcome() == ProbeResult.Outcome.ERROR) {
            return true; // upstream keeps the last result when a probe cannot run
        }
        boolean passed = result.passed();
        if (passed == lastPassed && sameResultRun > 0) {
            sameResultRun++;
        } else {
            lastPassed = passed;
            sameResultRun = 1;
        }
        int threshold = passed ? spec.successThreshold() : spec.failureThreshold();
        if (sameResultRun < threshold) {
            return true;
        }
        manager.setResult(target, spec, passed);
        // A failed liveness or startup probe means a restart: stop until the kubelet adds the new instance.
        return passed || spec.type() == ProbeType.READINESS;
    }
}

package io.k4j.simulation;

import java.time.Clock;
import java.time.Duration;

/**
 * Runs tasks later, on the same clock the simulation reads, so tests can drive time by hand instead of sleeping.
 */
public interface TaskScheduler extends AutoCloseable {

    /** A scheduled task that may still be called off. */
    interface Cancellable {
        void cancel();
    }

    Clock clock();

    Cancellable schedule(Runnable task, Duration delay);

    /** Runs {@code task} after {@code initialDelay}, then every {@code period}. */
    Cancellable scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period);

    @Override
    void close();
}

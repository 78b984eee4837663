package io.k4j.simulation;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The real {@link TaskScheduler}: one timer thread for every node and pod; the tasks it runs only hand work on. */
public final class ExecutorTaskScheduler implements TaskScheduler {

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("k4j-simulation-timer").daemon().factory());

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        var future = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public Cancellable scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period) {
        var future = executor.scheduleAtFixedRate(task, Math.max(0, initialDelay.toNanos()), period.toNanos(),
                TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

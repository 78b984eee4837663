package io.k4j.kubelet.prober;

import java.time.Duration;

/** Runs tasks later; tests use a manual one driven by a fake clock, production {@link ExecutorTaskScheduler}. */
public interface TaskScheduler {

    /** Runs {@code task} once after {@code delay} (zero: as soon as possible); tasks may block. */
    Cancellable schedule(Runnable task, Duration delay);

    interface Cancellable {
        /** Drops the task if it has not started; a running task finishes. */
        void cancel();
    }
}

package io.k4j.simulation;

import java.time.Instant;

/** Where a simulated pod's containers are at one moment; every container of a pod follows the same script. */
public sealed interface ContainerState {

    /** How many times the containers were restarted so far. */
    int restartCount();

    /** The run before the current one, if the containers ran before. */
    Exit lastExit();

    record Running(int restartCount, Instant startedAt, Exit lastExit) implements ContainerState {
    }

    /** Exited and waiting out the crash-loop back-off before the next start. */
    record BackingOff(int restartCount, Exit exit, Instant restartAt) implements ContainerState {
        @Override
        public Exit lastExit() {
            return exit;
        }
    }

    /** Exited for good: the restart policy does not restart this exit. */
    record Finished(int restartCount, Exit exit, Exit lastExit) implements ContainerState {
    }

    /** One run that ended. */
    record Exit(Instant startedAt, Instant finishedAt, int exitCode) {
        public String reason() {
            return exitCode == 0 ? "Completed" : "Error";
        }
    }
}

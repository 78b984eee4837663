package io.k4j.simulation;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A pod's containers from their first start on, as a pure function of time: run {@code exit-after}, exit, then
 * (if the restart policy says so) back off and run again. Nothing is remembered between calls, so a restarted
 * simulator picks every pod up where its status's startTime says it began.
 */
public record ContainerTimeline(Instant start, PodScript script) {

    public ContainerState stateAt(Instant now) {
        if (script.exitAfter().isEmpty() || now.isBefore(start)) {
            return new ContainerState.Running(0, start, null);
        }
        Duration runTime = script.exitAfter().get();
        Instant startedAt = start;
        int restarts = 0;
        ContainerState.Exit lastExit = null;
        while (true) {
            Instant finishedAt = startedAt.plus(runTime);
            if (now.isBefore(finishedAt)) {
                return new ContainerState.Running(restarts, startedAt, lastExit);
            }
            ContainerState.Exit exit = new ContainerState.Exit(startedAt, finishedAt, script.exitCode());
            if (!script.restartsAfterExit()) {
                return new ContainerState.Finished(restarts, exit, lastExit);
            }
            Duration backoff = CrashLoopBackoff.after(restarts);
            Instant restartAt = finishedAt.plus(backoff);
            if (now.isBefore(restartAt)) {
                return new ContainerState.BackingOff(restarts, exit, restartAt);
            }
            lastExit = exit;
            startedAt = restartAt;
            restarts++;
            if (backoff.equals(CrashLoopBackoff.MAX)) {
                // From here every cycle is the same length: skip the whole ones instead of walking days of them.
                Duration cycle = runTime.plus(CrashLoopBackoff.MAX);
                long cycles = Duration.between(startedAt, now).dividedBy(cycle);
                if (cycles > 0) {
                    startedAt = startedAt.plus(cycle.multipliedBy(cycles));
                    restarts += (int) cycles;
                    lastExit = new ContainerState.Exit(startedAt.minus(cycle), startedAt.minus(CrashLoopBackoff.MAX),
                            script.exitCode());
                }
            }
        }
    }

    /** When the state after {@code now} next changes, if it ever does. */
    public Optional<Instant> nextChangeAfter(Instant now) {
        return switch (stateAt(now)) {
            case ContainerState.Running running -> script.exitAfter().map(running.startedAt()::plus);
            case ContainerState.BackingOff backingOff -> Optional.of(backingOff.restartAt());
            case ContainerState.Finished finished -> Optional.empty();
        };
    }
}

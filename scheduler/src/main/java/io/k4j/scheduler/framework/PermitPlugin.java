package io.k4j.scheduler.framework;

import java.time.Duration;

/** Approves, rejects or holds (WAIT, up to a timeout) a pod after Reserve and before binding. */
public interface PermitPlugin extends Plugin {

    record Result(Status status, Duration timeout) {
        public static Result allow() {
            return new Result(Status.success(), Duration.ZERO);
        }
    }

    Result permit(CycleState state, PodInfo pod, String nodeName);
}

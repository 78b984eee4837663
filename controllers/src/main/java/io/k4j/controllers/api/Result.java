package io.k4j.controllers.api;

import java.time.Duration;

/**
 * How a reconcile ended. {@link #done()} forgets the key's failures; {@link #requeueAfter} looks again after a delay
 * (deadlines, backoffs, schedules); {@link #retry()} requeues with the key's exponential backoff, as a thrown exception
 * does (which is also logged).
 */
public sealed interface Result {

    record Done() implements Result {
    }

    record RequeueAfter(Duration delay) implements Result {
    }

    record Retry() implements Result {
    }

    static Result done() {
        return new Done();
    }

    static Result requeueAfter(Duration delay) {
        return new RequeueAfter(delay);
    }

    static Result retry() {
        return new Retry();
    }

    /** The sooner of two results: a retry wins, then the shorter delay; done only when both are. */
    default Result andThen(Result other) {
        if (this instanceof Retry || other instanceof Retry) {
            return retry();
        }
        if (this instanceof RequeueAfter a && other instanceof RequeueAfter b) {
            return a.delay.compareTo(b.delay) <= 0 ? a : b;
        }
        return this instanceof RequeueAfter ? this : other;
    }
}

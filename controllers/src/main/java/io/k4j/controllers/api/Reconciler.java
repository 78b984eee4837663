package io.k4j.controllers.api;

/**
 * One controller: it names the objects it watches and brings one object's world to its desired state per call.
 * {@code reconcile} reads from the shared caches ({@link Context#cache}), writes through the client, must be
 * idempotent (it may run again for the same key at any time), and is never run for the same key on two workers at
 * once. The object may be gone from the cache when it runs: that means it was deleted.
 */
public interface Reconciler {

    /** Declares the informers this controller reads and how their events turn into keys of its queue. */
    void watch(Watches watches);

    Result reconcile(ObjectKey key, Context context) throws Exception;

    /** Releases what the reconciler started itself (informers of its own, say); called when its loop stops. */
    default void stop() {
    }
}

package io.k4j.apiserver.storage;

import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.store.KeyValueStore;
import java.time.Duration;
import java.time.InstantSource;

/**
 * Events expire an hour after they are written, as upstream's --event-ttl: each event is attached to a store
 * lease. One lease serves all events written within a minute of each other (upstream shares leases the same
 * way), so an event lives between one hour and one hour and a minute.
 */
final class EventLeases {

    static final Duration TTL = Duration.ofHours(1);
    private static final Duration SHARE_WINDOW = Duration.ofMinutes(1);

    private final KeyValueStore store;
    private final InstantSource clock;
    private long lease = KeyValueStore.NO_LEASE;
    private long grantedAtMillis;

    EventLeases(KeyValueStore store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    static boolean isEvent(ResourceDefinition definition) {
        return definition.plural().equals("events")
                && (definition.group().isEmpty() || definition.group().equals("events.k8s.io"));
    }

    /** The lease a new event should be attached to. */
    synchronized long current() {
        long now = clock.millis();
        if (lease == KeyValueStore.NO_LEASE || now - grantedAtMillis >= SHARE_WINDOW.toMillis()) {
            lease = store.grantLease(TTL.plus(SHARE_WINDOW));
            grantedAtMillis = now;
        }
        return lease;
    }

    /** A lease that was revoked or expired under us: grant a new one next time. */
    synchronized void forget(long gone) {
        if (lease == gone) {
            lease = KeyValueStore.NO_LEASE;
        }
    }
}

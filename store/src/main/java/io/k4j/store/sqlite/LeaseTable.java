package io.k4j.store.sqlite;

import io.k4j.store.LeaseNotFoundException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which leases exist and when each expires. Pure bookkeeping: every method takes the current time, so tests
 * decide exactly when a lease runs out. Persisting leases and deleting their keys is the store's job.
 */
final class LeaseTable {

    private record Entry(long ttlMillis, long expiresAtMillis) {
    }

    private final Map<Long, Entry> leases = new HashMap<>();

    synchronized void grant(long id, long ttlMillis, long nowMillis) {
        leases.put(id, new Entry(ttlMillis, nowMillis + ttlMillis));
    }

    /** Restarts the lease's time to live. A lease past its expiry counts as gone even before it is revoked. */
    synchronized void keepAlive(long id, long nowMillis) {
        Entry entry = leases.get(id);
        if (entry == null || entry.expiresAtMillis <= nowMillis) {
            throw new LeaseNotFoundException(id);
        }
        leases.put(id, new Entry(entry.ttlMillis, nowMillis + entry.ttlMillis));
    }

    synchronized boolean isLive(long id, long nowMillis) {
        Entry entry = leases.get(id);
        return entry != null && entry.expiresAtMillis > nowMillis;
    }

    synchronized boolean contains(long id) {
        return leases.containsKey(id);
    }

    synchronized void remove(long id) {
        leases.remove(id);
    }

    /** The leases whose time ran out at or before {@code nowMillis}. */
    synchronized List<Long> expired(long nowMillis) {
        List<Long> expired = new ArrayList<>();
        leases.forEach((id, entry) -> {
            if (entry.expiresAtMillis <= nowMillis) {
                expired.add(id);
            }
        });
        return expired;
    }
}

package io.k4j.store;

import java.time.Duration;

/**
 * A multi-version key-value store with etcd v3 semantics; all k4j cluster state lives here.
 *
 * <p>Every write gets the next value of one store-wide, strictly increasing revision, which the API server
 * exposes as resourceVersion. Reads and watches can go back in time to any revision that compaction has kept.
 * Every method is thread-safe and blocks until the backend answers; failures are {@link StoreException}s.
 */
public interface KeyValueStore extends AutoCloseable {

    /** The lease id meaning "not attached to a lease". */
    long NO_LEASE = 0;

    /** The expected mod revision meaning "whatever the current one is" (an unconditional write). */
    long ANY_REVISION = 0;

    /** Values over this size (etcd's default request limit) are refused. */
    int MAX_VALUE_BYTES = 1536 * 1024;

    /** The latest version of a key. */
    GetResult get(String key);

    /** Keys under a prefix, at the latest or a past revision, optionally paged. */
    RangeResult range(RangeRequest request);

    /**
     * Creates a key that must not exist.
     *
     * @throws KeyExistsException if it does
     */
    KeyValue create(String key, byte[] value, long lease);

    default KeyValue create(String key, byte[] value) {
        return create(key, value, NO_LEASE);
    }

    /**
     * Replaces the value of an existing key if its mod revision is still the expected one (compare-and-swap).
     *
     * @param expectedModRevision the mod revision the caller read, or {@link #ANY_REVISION}
     * @throws ConflictException   if the key changed since (it carries the current version)
     * @throws KeyNotFoundException if the key does not exist
     */
    KeyValue update(String key, byte[] value, long expectedModRevision, long lease);

    default KeyValue update(String key, byte[] value, long expectedModRevision) {
        return update(key, value, expectedModRevision, NO_LEASE);
    }

    /**
     * Deletes a key, optionally only if its mod revision is still the expected one.
     *
     * @throws ConflictException   if the guard fails
     * @throws KeyNotFoundException if the key does not exist
     */
    DeleteResult delete(String key, long expectedModRevision);

    default DeleteResult delete(String key) {
        return delete(key, ANY_REVISION);
    }

    /**
     * Streams every change under a prefix with a revision greater than {@code afterRevision}, in revision
     * order, without gaps or duplicates, then every later change as it happens. A watcher that reconnects
     * with the last revision it saw misses nothing. If {@code afterRevision} is older than the compaction
     * point the listener gets a {@link CompactedException}.
     */
    Watch watch(String prefix, long afterRevision, WatchListener listener);

    /** Grants a lease; keys attached to it are deleted when it expires or is revoked. Returns its id. */
    long grantLease(Duration ttl);

    /** Restarts a lease's time to live. @throws LeaseNotFoundException if it expired or never existed */
    void keepAliveLease(long lease);

    /** Ends a lease now, deleting its keys. @throws LeaseNotFoundException if it expired or never existed */
    void revokeLease(long lease);

    /**
     * Forgets the history before this revision: reads at an older revision, and watches from one, then fail
     * with {@link CompactedException}. Compacting to a revision already compacted does nothing.
     */
    void compact(long revision);

    /** The store's current revision: the revision of the last write. */
    long currentRevision();

    @Override
    void close();
}

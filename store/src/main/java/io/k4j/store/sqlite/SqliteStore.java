package io.k4j.store.sqlite;

import io.k4j.store.ConflictException;
import io.k4j.store.DeleteResult;
import io.k4j.store.FutureRevisionException;
import io.k4j.store.GetResult;
import io.k4j.store.KeyExistsException;
import io.k4j.store.KeyNotFoundException;
import io.k4j.store.KeyValue;
import io.k4j.store.KeyValueStore;
import io.k4j.store.LeaseNotFoundException;
import io.k4j.store.RangeRequest;
import io.k4j.store.RangeResult;
import io.k4j.store.StoreException;
import io.k4j.store.StoreStartupException;
import io.k4j.store.ValueTooLargeException;
import io.k4j.store.Watch;
import io.k4j.store.WatchListener;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded backend: one SQLite file in WAL mode. Writes go through {@link WriteLoop} (group commit), reads
 * through {@link Reads}, watches through {@link WatchHub}; history for watches and past reads is the
 * {@code log} table of the same file.
 */
public final class SqliteStore implements KeyValueStore {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);
    private static final int READ_CONNECTIONS = 6;
    private static final long LEASE_CHECK_MILLIS = 250;
    /** Compaction deletes history in slices of this many revisions, so writers never wait long. */
    private static final long COMPACTION_SLICE = 5_000;

    private final DatabaseFile file;
    private final Connection writeConnection;
    private final WriteLoop writer;
    private final Reads reads;
    private final WatchHub hub;
    private final LeaseTable leases = new LeaseTable();
    private final InstantSource clock;
    private final ScheduledExecutorService leaseChecker;
    private long nextLeaseId; // guarded by writer thread

    private SqliteStore(DatabaseFile file, InstantSource clock) throws SQLException {
        this.file = file;
        this.clock = clock;
        this.writeConnection = file.connect(true);
        file.createSchemaIfNew(writeConnection);
        long revision = loadState();
        this.reads = new Reads(() -> file.connect(false), READ_CONNECTIONS);
        this.hub = new WatchHub(revision, reads::changes);
        this.writer = new WriteLoop(writeConnection, revision, hub::publish);
        this.leaseChecker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "k4j-sqlite-leases");
            thread.setDaemon(true);
            return thread;
        });
        leaseChecker.scheduleWithFixedDelay(this::expireLeases, LEASE_CHECK_MILLIS, LEASE_CHECK_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /** Opens (or creates) the datastore at {@code path}, refusing a file that is not a k4j datastore. */
    public static SqliteStore open(Path path) {
        return open(path, InstantSource.system());
    }

    /** As {@link #open(Path)}, with the clock that lease expiry follows. */
    public static SqliteStore open(Path path, InstantSource clock) {
        DatabaseFile file = DatabaseFile.claim(path);
        try {
            return new SqliteStore(file, clock);
        } catch (SQLException | RuntimeException e) {
            file.close();
            if (e instanceof StoreException storeException) {
                throw storeException;
            }
            throw new StoreStartupException("cannot open datastore " + path + ": " + e.getMessage(), e);
        }
    }

    /** Reads the revision and the leases; leases restart their time to live, as etcd's do after a restart. */
    private long loadState() throws SQLException {
        long now = clock.millis();
        long revision;
        try (Statement statement = writeConnection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT COALESCE(MAX(revision), 0) FROM log")) {
                rows.next();
                revision = rows.getLong(1);
            }
            try (ResultSet rows = statement.executeQuery("SELECT id, ttl_millis FROM leases")) {
                while (rows.next()) {
                    leases.grant(rows.getLong(1), rows.getLong(2), now);
                    nextLeaseId = Math.max(nextLeaseId, rows.getLong(1));
                }
            }
        }
        writeConnection.commit();
        return revision;
    }

    public Path path() {
        return file.path();
    }

    @Override
    public GetResult get(String key) {
        return reads.get(key);
    }

    @Override
    public RangeResult range(RangeRequest request) {
        return reads.range(request);
    }

    @Override
    public KeyValue create(String key, byte[] value, long lease) {
        ValueTooLargeException.check(key, value);
        return writer.submit(txn -> {
            requireLease(lease);
            KeyValue existing = txn.current(key);
            if (existing != null) {
                throw new KeyExistsException(key, existing);
            }
            return txn.put(key, value, lease, null);
        });
    }

    @Override
    public KeyValue update(String key, byte[] value, long expectedModRevision, long lease) {
        ValueTooLargeException.check(key, value);
        return writer.submit(txn -> {
            requireLease(lease);
            KeyValue current = requireCurrent(txn, key, expectedModRevision);
            return txn.put(key, value, lease, current);
        });
    }

    @Override
    public DeleteResult delete(String key, long expectedModRevision) {
        return writer.submit(txn -> {
            KeyValue current = requireCurrent(txn, key, expectedModRevision);
            return new DeleteResult(current, txn.remove(current));
        });
    }

    private static KeyValue requireCurrent(WriteTxn txn, String key, long expectedModRevision) throws SQLException {
        KeyValue current = txn.current(key);
        if (current == null) {
            throw new KeyNotFoundException(key);
        }
        if (expectedModRevision != ANY_REVISION && current.modRevision() != expectedModRevision) {
            throw new ConflictException(key, expectedModRevision, current);
        }
        return current;
    }

    private void requireLease(long lease) {
        if (lease != NO_LEASE && !leases.isLive(lease, clock.millis())) {
            throw new LeaseNotFoundException(lease);
        }
    }

    @Override
    public Watch watch(String prefix, long afterRevision, WatchListener listener) {
        return hub.subscribe(prefix, afterRevision, listener);
    }

    @Override
    public long grantLease(Duration ttl) {
        long ttlMillis = Math.max(1, ttl.toMillis());
        return writer.submit(txn -> {
            long id = ++nextLeaseId;
            txn.insertLease(id, ttlMillis);
            leases.grant(id, ttlMillis, clock.millis());
            return id;
        });
    }

    @Override
    public void keepAliveLease(long lease) {
        leases.keepAlive(lease, clock.millis());
    }

    @Override
    public void revokeLease(long lease) {
        if (!leases.contains(lease)) {
            throw new LeaseNotFoundException(lease);
        }
        writer.submit(txn -> revokeInTxn(txn, lease));
    }

    private Void revokeInTxn(WriteTxn txn, long lease) throws SQLException {
        if (!leases.contains(lease)) {
            throw new LeaseNotFoundException(lease);
        }
        for (String key : txn.keysOfLease(lease)) {
            txn.remove(txn.current(key));
        }
        txn.deleteLease(lease);
        leases.remove(lease);
        return null;
    }

    /** Revokes every lease whose time ran out; runs periodically, and directly from tests. */
    void expireLeases() {
        for (long lease : leases.expired(clock.millis())) {
            writer.submitAsync(txn -> {
                if (leases.contains(lease) && !leases.isLive(lease, clock.millis())) {
                    revokeInTxn(txn, lease);
                }
                return null;
            }).exceptionally(error -> {
                LOG.warn("expiring lease {} failed: {}", lease, error.getMessage());
                return null;
            });
        }
    }

    @Override
    public void compact(long revision) {
        long current = currentRevision();
        if (revision > current) {
            throw new FutureRevisionException(revision, current);
        }
        long previous = writer.submit(txn -> {
            long compacted = compactRevision();
            if (revision > compacted) {
                setCompactRevision(revision);
            }
            return compacted;
        });
        // The compaction point moved first, so nobody reads the history being deleted below.
        for (long from = previous; from < revision; from += COMPACTION_SLICE) {
            long sliceEnd = Math.min(revision, from + COMPACTION_SLICE);
            long sliceStart = from;
            writer.submit(txn -> deleteHistory(sliceStart, sliceEnd, revision));
        }
    }

    private long compactRevision() throws SQLException {
        try (Statement statement = writeConnection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT value FROM meta WHERE name = 'compact_revision'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void setCompactRevision(long revision) throws SQLException {
        try (PreparedStatement statement = writeConnection.prepareStatement(
                "UPDATE meta SET value = ? WHERE name = 'compact_revision'")) {
            statement.setLong(1, revision);
            statement.executeUpdate();
        }
    }

    /**
     * Deletes the log rows in (from, to] that no read at or after {@code compactRevision} can need: every
     * version superseded by a newer one at or before it, and every delete marker, except the newest row of the
     * log, which carries the store's revision.
     */
    private Void deleteHistory(long from, long to, long compactRevision) throws SQLException {
        try (PreparedStatement statement = writeConnection.prepareStatement(
                "DELETE FROM log WHERE revision > ?1 AND revision <= ?2 AND revision < (SELECT MAX(revision) FROM log)"
                        + " AND (deleted = 1 OR revision < (SELECT MAX(m.revision) FROM log m"
                        + " WHERE m.key = log.key AND m.revision <= ?3))")) {
            statement.setLong(1, from);
            statement.setLong(2, to);
            statement.setLong(3, compactRevision);
            statement.executeUpdate();
        }
        return null;
    }

    @Override
    public long currentRevision() {
        return writer.committedRevision(); // kept in memory by the writer: no read connection, no query
    }

    /** How many watches are open; for tests and metrics. */
    public int watchCount() {
        return hub.size();
    }

    @Override
    public void close() {
        leaseChecker.shutdownNow();
        writer.close();
        hub.close();
        reads.close();
        try {
            writeConnection.close();
        } catch (SQLException e) {
            LOG.warn("closing the datastore failed", e);
        }
        file.close();
    }
}

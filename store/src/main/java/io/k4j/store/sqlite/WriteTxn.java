package io.k4j.store.sqlite;

import io.k4j.store.KeyValue;
import io.k4j.store.WatchEvent;
import io.k4j.store.internal.KeyRange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements of the writer connection, used by one batch of writes inside one SQLite transaction. It hands
 * out revisions, records the watch events of the batch, and can be rewound when the transaction rolls back.
 * Used only by the writer thread.
 */
final class WriteTxn implements AutoCloseable {

    private final PreparedStatement selectCurrent;
    private final PreparedStatement insertLog;
    private final PreparedStatement upsertCurrent;
    private final PreparedStatement deleteCurrent;
    private final PreparedStatement selectKeysOfLease;
    private final PreparedStatement insertLease;
    private final PreparedStatement deleteLease;

    private long committedRevision;
    private long revision;
    private final List<WatchEvent> events = new ArrayList<>();

    WriteTxn(Connection connection, long committedRevision) throws SQLException {
        this.committedRevision = committedRevision;
        this.revision = committedRevision;
        selectCurrent = connection.prepareStatement("SELECT " + Schema.KV_COLUMNS
                + " FROM current c JOIN log l ON l.revision = c.revision WHERE c.key = ?");
        insertLog = connection.prepareStatement("INSERT INTO log (revision, key, value, create_revision, version,"
                + " lease, prev_revision, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        upsertCurrent = connection.prepareStatement(
                "INSERT OR REPLACE INTO current (key, revision, lease) VALUES (?, ?, ?)");
        deleteCurrent = connection.prepareStatement("DELETE FROM current WHERE key = ?");
        selectKeysOfLease = connection.prepareStatement("SELECT key FROM current WHERE lease = ? ORDER BY key");
        insertLease = connection.prepareStatement("INSERT INTO leases (id, ttl_millis) VALUES (?, ?)");
        deleteLease = connection.prepareStatement("DELETE FROM leases WHERE id = ?");
    }

    /** The live version of a key, or null. Sees the writes of the open transaction. */
    KeyValue current(String key) throws SQLException {
        selectCurrent.setBytes(1, KeyRange.bytes(key));
        try (ResultSet rows = selectCurrent.executeQuery()) {
            return rows.next() ? Rows.keyValue(rows, 1) : null;
        }
    }

    /** Writes a new version of a key; {@code previous} is its live version or null for a create. */
    KeyValue put(String key, byte[] value, long lease, KeyValue previous) throws SQLException {
        long rev = ++revision;
        KeyValue kv = previous == null
                ? new KeyValue(key, value, rev, rev, 1, lease)
                : new KeyValue(key, value, previous.createRevision(), rev, previous.version() + 1, lease);
        byte[] rawKey = KeyRange.bytes(key);
        insertLog(rev, rawKey, value, kv.createRevision(), kv.version(), lease, previous, false);
        upsertCurrent.setBytes(1, rawKey);
        upsertCurrent.setLong(2, rev);
        upsertCurrent.setLong(3, lease);
        upsertCurrent.executeUpdate();
        events.add(new WatchEvent(WatchEvent.Type.PUT, kv, previous));
        return kv;
    }

    /** Deletes a live key; returns the revision of the delete. */
    long remove(KeyValue previous) throws SQLException {
        long rev = ++revision;
        byte[] rawKey = KeyRange.bytes(previous.key());
        insertLog(rev, rawKey, null, 0, 0, 0, previous, true);
        deleteCurrent.setBytes(1, rawKey);
        deleteCurrent.executeUpdate();
        events.add(new WatchEvent(WatchEvent.Type.DELETE, Rows.tombstone(previous.key(), rev), previous));
        return rev;
    }

    private void insertLog(long rev, byte[] rawKey, byte[] value, long createRevision, long version, long lease,
                           KeyValue previous, boolean deleted) throws SQLException {
        insertLog.setLong(1, rev);
        insertLog.setBytes(2, rawKey);
        if (value == null) {
            insertLog.setNull(3, Types.BLOB);
        } else {
            insertLog.setBytes(3, value);
        }
        insertLog.setLong(4, createRevision);
        insertLog.setLong(5, version);
        insertLog.setLong(6, lease);
        if (previous == null) {
            insertLog.setNull(7, Types.INTEGER);
        } else {
            insertLog.setLong(7, previous.modRevision());
        }
        insertLog.setInt(8, deleted ? 1 : 0);
        insertLog.executeUpdate();
    }

    List<String> keysOfLease(long lease) throws SQLException {
        selectKeysOfLease.setLong(1, lease);
        List<String> keys = new ArrayList<>();
        try (ResultSet rows = selectKeysOfLease.executeQuery()) {
            while (rows.next()) {
                keys.add(KeyRange.text(rows.getBytes(1)));
            }
        }
        return keys;
    }

    void insertLease(long id, long ttlMillis) throws SQLException {
        insertLease.setLong(1, id);
        insertLease.setLong(2, ttlMillis);
        insertLease.executeUpdate();
    }

    void deleteLease(long id) throws SQLException {
        deleteLease.setLong(1, id);
        deleteLease.executeUpdate();
    }

    long revision() {
        return revision;
    }

    long committedRevision() {
        return committedRevision;
    }

    /** The transaction committed: its revisions are final. Returns and forgets its watch events. */
    List<WatchEvent> committed() {
        committedRevision = revision;
        List<WatchEvent> done = List.copyOf(events);
        events.clear();
        return done;
    }

    /** The transaction rolled back: hand its revisions out again and drop its events. */
    void rolledBack() {
        revision = committedRevision;
        events.clear();
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement statement : List.of(selectCurrent, insertLog, upsertCurrent, deleteCurrent,
                selectKeysOfLease, insertLease, deleteLease)) {
            statement.close();
        }
    }
}

package io.k4j.store.sqlite;

import io.k4j.store.CompactedException;
import io.k4j.store.FutureRevisionException;
import io.k4j.store.GetResult;
import io.k4j.store.KeyValue;
import io.k4j.store.RangeRequest;
import io.k4j.store.RangeResult;
import io.k4j.store.StoreException;
import io.k4j.store.StoreUnavailableException;
import io.k4j.store.WatchEvent;
import io.k4j.store.internal.KeyRange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads on a small pool of connections. In WAL mode readers never block the writer; each read runs in one
 * read transaction, so everything it returns, revision included, comes from one snapshot.
 */
final class Reads implements AutoCloseable {

    private static final String STORE_REVISION = "(SELECT COALESCE(MAX(revision), 0) FROM log)";
    private static final String COMPACT_REVISION = "(SELECT value FROM meta WHERE name = 'compact_revision')";

    private static final String GET = "SELECT " + STORE_REVISION + ", " + Schema.KV_COLUMNS
            + " FROM (SELECT 1) LEFT JOIN current c ON c.key = ? LEFT JOIN log l ON l.revision = c.revision";
    private static final String REVISIONS = "SELECT " + STORE_REVISION + ", " + COMPACT_REVISION;
    /** Parameters: range start, exclusive continue key, range end. */
    private static final String LATEST_WHERE = " WHERE c.key >= ? AND c.key > ? AND c.key < ?";
    private static final String RANGE_LATEST = "SELECT " + Schema.KV_COLUMNS
            + " FROM current c JOIN log l ON l.revision = c.revision" + LATEST_WHERE + " ORDER BY c.key LIMIT ?";
    private static final String COUNT_LATEST = "SELECT COUNT(*) FROM current c" + LATEST_WHERE;
    /** Parameters: range start, exclusive continue key, range end, revision. */
    private static final String AT_REVISION = " FROM log l JOIN (SELECT MAX(revision) AS r FROM log"
            + " WHERE key >= ? AND key > ? AND key < ? AND revision <= ? GROUP BY key) latest"
            + " ON l.revision = latest.r WHERE l.deleted = 0";
    private static final String RANGE_AT = "SELECT " + Schema.KV_COLUMNS + AT_REVISION + " ORDER BY l.key LIMIT ?";
    private static final String COUNT_AT = "SELECT COUNT(*)" + AT_REVISION;
    /** Parameters: after revision, up to revision, range start, range end. */
    private static final String CHANGES = "SELECT l.deleted, " + Schema.KV_COLUMNS + ", p.key, p.value,"
            + " p.create_revision, p.revision, p.version, p.lease FROM log l LEFT JOIN log p ON p.revision = l.prev_revision"
            + " WHERE l.revision > ? AND l.revision <= ? AND l.key >= ? AND l.key < ? ORDER BY l.revision";

    private static final int CHANGE_BATCH = 1000;

    /** A connection with its prepared statements, so each statement is compiled once per connection. */
    private static final class Session {
        final Connection connection;
        final Map<String, PreparedStatement> statements = new HashMap<>();

        Session(Connection connection) {
            this.connection = connection;
        }

        PreparedStatement prepare(String sql) throws SQLException {
            PreparedStatement statement = statements.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                statements.put(sql, statement);
            }
            return statement;
        }
    }

    @FunctionalInterface
    private interface ReadOp<T> {
        T apply(Session session) throws SQLException;
    }

    private final BlockingQueue<Session> pool;
    private final List<Session> all = new ArrayList<>();

    Reads(Supplier<Connection> connections, int size) {
        pool = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            Session session = new Session(connections.get());
            all.add(session);
            pool.add(session);
        }
    }

    GetResult get(String key) {
        return read(session -> {
            PreparedStatement statement = session.prepare(GET);
            statement.setBytes(1, KeyRange.bytes(key));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                long revision = rows.getLong(1);
                rows.getBytes(2);
                Optional<KeyValue> kv = rows.wasNull() ? Optional.empty() : Optional.of(Rows.keyValue(rows, 2));
                return new GetResult(kv, revision);
            }
        });
    }

    RangeResult range(RangeRequest request) {
        KeyRange range = KeyRange.ofPrefix(request.prefix());
        byte[] after = request.startAfter() == null ? new byte[0] : KeyRange.bytes(request.startAfter());
        return read(session -> {
            long[] revisions = revisions(session);
            long storeRevision = revisions[0];
            long at = request.revision();
            boolean latest = at == 0 || at == storeRevision;
            if (!latest) {
                checkReadable(at, revisions);
            }
            PreparedStatement query = session.prepare(latest ? RANGE_LATEST : RANGE_AT);
            int next = bindRange(query, range, after, latest ? 0 : at);
            long limit = request.limit();
            query.setLong(next, limit == 0 ? -1 : limit + 1);
            List<KeyValue> items = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    items.add(Rows.keyValue(rows, 1));
                }
            }
            boolean more = limit > 0 && items.size() > limit;
            long count = items.size();
            if (more) {
                items.remove(items.size() - 1);
                PreparedStatement counter = session.prepare(latest ? COUNT_LATEST : COUNT_AT);
                bindRange(counter, range, after, latest ? 0 : at);
                try (ResultSet rows = counter.executeQuery()) {
                    rows.next();
                    count = rows.getLong(1);
                }
            }
            return new RangeResult(List.copyOf(items), more, count, latest ? storeRevision : at);
        });
    }

    private static int bindRange(PreparedStatement statement, KeyRange range, byte[] after, long revision)
            throws SQLException {
        statement.setBytes(1, range.start());
        statement.setBytes(2, after);
        statement.setBytes(3, range.end());
        if (revision == 0) {
            return 4;
        }
        statement.setLong(4, revision);
        return 5;
    }

    /** The store's revision and its compaction point, in that order. */
    private static long[] revisions(Session session) throws SQLException {
        try (ResultSet rows = session.prepare(REVISIONS).executeQuery()) {
            rows.next();
            return new long[] {rows.getLong(1), rows.getLong(2)};
        }
    }

    private static void checkReadable(long revision, long[] revisions) {
        if (revision > revisions[0]) {
            throw new FutureRevisionException(revision, revisions[0]);
        }
        if (revision < revisions[1]) {
            throw new CompactedException(revision, revisions[1]);
        }
    }

    /**
     * Streams every change under {@code prefix} with a revision in (afterRevision, upToRevision], in order and in
     * batches, from one snapshot. Fails with {@link CompactedException} if that history is no longer kept.
     */
    void changes(String prefix, long afterRevision, long upToRevision, Consumer<List<WatchEvent>> sink) {
        KeyRange range = KeyRange.ofPrefix(prefix);
        read(session -> {
            long[] revisions = revisions(session);
            if (afterRevision < revisions[1]) {
                throw new CompactedException(afterRevision, revisions[1]);
            }
            PreparedStatement query = session.prepare(CHANGES);
            query.setLong(1, afterRevision);
            query.setLong(2, upToRevision);
            query.setBytes(3, range.start());
            query.setBytes(4, range.end());
            List<WatchEvent> batch = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    batch.add(change(rows));
                    if (batch.size() == CHANGE_BATCH) {
                        sink.accept(List.copyOf(batch));
                        batch.clear();
                    }
                }
            }
            if (!batch.isEmpty()) {
                sink.accept(List.copyOf(batch));
            }
            return null;
        });
    }

    private static WatchEvent change(ResultSet rows) throws SQLException {
        boolean deleted = rows.getInt(1) == 1;
        KeyValue kv = Rows.keyValue(rows, 2);
        rows.getBytes(8);
        KeyValue previous = rows.wasNull() ? null : Rows.keyValue(rows, 8);
        if (deleted) {
            return new WatchEvent(WatchEvent.Type.DELETE, Rows.tombstone(kv.key(), kv.modRevision()), previous);
        }
        return new WatchEvent(WatchEvent.Type.PUT, kv, previous);
    }

    private <T> T read(ReadOp<T> op) {
        Session session;
        try {
            session = pool.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for a read connection", e);
        }
        try {
            T result = op.apply(session);
            session.connection.commit();
            return result;
        } catch (SQLException e) {
            rollbackQuietly(session);
            throw new StoreUnavailableException("read failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            rollbackQuietly(session);
            throw e;
        } finally {
            pool.add(session);
        }
    }

    private static void rollbackQuietly(Session session) {
        try {
            session.connection.rollback();
        } catch (SQLException ignored) {
            // the connection is reused; a failed rollback surfaces on its next use
        }
    }

    @Override
    public void close() {
        for (Session session : all) {
            try {
                session.connection.close();
            } catch (SQLException ignored) {
                // closing: nothing left to do with it
            }
        }
    }
}

package io.k4j.store.sqlite;

/**
 * The layout of a k4j SQLite datastore.
 *
 * <p>{@code log} holds every version of every key, one row per revision (the revision is the rowid, so it is
 * the primary key and revision order is storage order); a delete is a row with {@code deleted = 1}. {@code
 * current} points each live key at its latest log row, so reads at the latest revision touch only live keys.
 * Values are stored once, in {@code log}. {@code meta} names the file as ours and records the compaction point.
 */
final class Schema {

    static final String FORMAT = "k4j-store";
    static final int FORMAT_VERSION = 1;

    static final String[] CREATE = {
        "CREATE TABLE meta (name TEXT PRIMARY KEY, value) WITHOUT ROWID",
        "CREATE TABLE log (revision INTEGER PRIMARY KEY, key BLOB NOT NULL, value BLOB,"
                + " create_revision INTEGER NOT NULL, version INTEGER NOT NULL, lease INTEGER NOT NULL,"
                + " prev_revision INTEGER, deleted INTEGER NOT NULL)",
        "CREATE INDEX log_key_revision ON log (key, revision)",
        "CREATE TABLE current (key BLOB PRIMARY KEY, revision INTEGER NOT NULL, lease INTEGER NOT NULL) WITHOUT ROWID",
        "CREATE INDEX current_lease ON current (lease) WHERE lease <> 0",
        "CREATE TABLE leases (id INTEGER PRIMARY KEY, ttl_millis INTEGER NOT NULL)",
        "INSERT INTO meta (name, value) VALUES ('format', '" + FORMAT + "'), ('format_version', " + FORMAT_VERSION
                + "), ('compact_revision', 0)",
    };

    /** Columns of a log row as a KeyValue, prefixed {@code l.}. */
    static final String KV_COLUMNS = "l.key, l.value, l.create_revision, l.revision, l.version, l.lease";

    private Schema() {
    }
}

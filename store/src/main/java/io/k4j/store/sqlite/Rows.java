package io.k4j.store.sqlite;

import io.k4j.store.KeyValue;
import io.k4j.store.internal.KeyRange;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Turns result-set columns into store records, so every query builds them the same way. */
final class Rows {

    private Rows() {
    }

    /** Reads key, value, create_revision, revision, version, lease starting at column {@code first}. */
    static KeyValue keyValue(ResultSet rows, int first) throws SQLException {
        return new KeyValue(KeyRange.text(rows.getBytes(first)), rows.getBytes(first + 1), rows.getLong(first + 2),
                rows.getLong(first + 3), rows.getLong(first + 4), rows.getLong(first + 5));
    }

    /** What a watch reports as the key after a delete: only the key and the revision of the delete. */
    static KeyValue tombstone(String key, long revision) {
        return new KeyValue(key, null, 0, revision, 0, 0);
    }
}

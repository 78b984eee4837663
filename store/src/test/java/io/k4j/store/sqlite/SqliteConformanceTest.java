package io.k4j.store.sqlite;

import io.k4j.store.KeyValueStore;
import io.k4j.store.StoreConformanceTestAccess;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The conformance suite against the embedded SQLite backend, one fresh file per test. */
class SqliteConformanceTest extends StoreConformanceTestAccess {

    @TempDir
    Path dir;

    @Override
    protected KeyValueStore openStore() {
        return SqliteStore.open(dir.resolve("state.db"));
    }
}

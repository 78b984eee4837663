package io.k4j.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k4j.store.KeyValue;
import io.k4j.store.RangeRequest;
import io.k4j.store.RecordingListener;
import io.k4j.store.StoreStartupException;
import io.k4j.store.Watch;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the SQLite backend promises: its file, its restarts, its crash safety. */
class SqliteStoreTest {

    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("state.db");
    }

    private static byte[] value(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void dataRevisionsAndHistorySurviveAReopen() {
        long revision;
        try (SqliteStore store = SqliteStore.open(db())) {
            KeyValue a = store.create("/a", value("1"));
            store.update("/a", value("2"), a.modRevision());
            store.create("/b", value("3"));
            revision = store.currentRevision();
        }
        try (SqliteStore store = SqliteStore.open(db())) {
            assertThat(store.currentRevision()).isEqualTo(revision);
            assertThat(store.get("/a").kv().orElseThrow().valueAsString()).isEqualTo("2");
            assertThat(store.create("/c", value("4")).modRevision()).isEqualTo(revision + 1);
            RecordingListener listener = new RecordingListener();
            try (Watch ignored = store.watch("/", 0, listener)) {
                assertThat(listener.awaitEvents(4)).extracting(event -> event.kv().key())
                        .containsExactly("/a", "/a", "/b", "/c");
            }
        }
    }

    @Test
    void aFileThatIsNotSqliteIsRefusedByNameAndLeftUntouched() throws Exception {
        byte[] content = "these are somebody's notes, not a database\n".getBytes(StandardCharsets.UTF_8);
        Files.write(db(), content);

        assertThatThrownBy(() -> SqliteStore.open(db()))
                .isInstanceOf(StoreStartupException.class)
                .hasMessageContaining(db().toString())
                .hasMessageContaining("not an SQLite database");
        assertThat(Files.readAllBytes(db())).isEqualTo(content);
    }

    @Test
    void aForeignSqliteDatabaseIsRefusedAndLeftUntouched() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db());
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("CREATE TABLE users (name TEXT)");
            statement.executeUpdate("INSERT INTO users VALUES ('ada')");
        }
        byte[] before = Files.readAllBytes(db());

        assertThatThrownBy(() -> SqliteStore.open(db()))
                .isInstanceOf(StoreStartupException.class)
                .hasMessageContaining(db().toString())
                .hasMessageContaining("not a k4j datastore");
        assertThat(Files.readAllBytes(db())).isEqualTo(before);
        assertThat(Files.exists(dir.resolve("state.db-wal"))).isFalse();
    }

    @Test
    void aCorruptDatastoreIsRefusedAndLeftUntouched() throws Exception {
        try (SqliteStore store = SqliteStore.open(db())) {
            for (int i = 0; i < 300; i++) {
                store.create("/filler/" + i, new byte[900]);
            }
        }
        byte[] garbage = new byte[64 * 1024];
        new Random(42).nextBytes(garbage);
        try (RandomAccessFile file = new RandomAccessFile(db().toFile(), "rw")) {
            file.seek(4096);
            file.write(garbage);
        }
        byte[] before = Files.readAllBytes(db());

        assertThatThrownBy(() -> SqliteStore.open(db()))
                .isInstanceOf(StoreStartupException.class)
                .hasMessageContaining(db().toString());
        assertThat(Files.readAllBytes(db())).isEqualTo(before);
    }

    @Test
    void aSecondProcessCannotOpenADatastoreInUse() {
        try (SqliteStore ignored = SqliteStore.open(db())) {
            assertThatThrownBy(() -> SqliteStore.open(db()))
                    .isInstanceOf(StoreStartupException.class)
                    .hasMessageContaining("in use");
        }
        SqliteStore.open(db()).close();
    }

    @Test
    void leasesExpireOnTheInjectedClockAndRestartTheirTimeOnReopen() {
        MutableClock clock = new MutableClock();
        long lease;
        try (SqliteStore store = SqliteStore.open(db(), clock)) {
            lease = store.grantLease(Duration.ofSeconds(10));
            store.create("/events/e1", value("e"), lease);
            clock.advance(Duration.ofSeconds(9));
            store.expireLeases();
            store.create("/barrier/1", value("x")); // queued after any expiry, so it has run when this returns
            assertThat(store.get("/events/e1").kv()).isPresent();
        }
        try (SqliteStore store = SqliteStore.open(db(), clock)) {
            clock.advance(Duration.ofSeconds(9));
            store.expireLeases();
            store.create("/barrier/2", value("x"));
            assertThat(store.get("/events/e1").kv()).as("a reopened lease gets its full TTL again").isPresent();
            clock.advance(Duration.ofSeconds(2));
            store.expireLeases();
            store.create("/barrier/3", value("x"));
            assertThat(store.get("/events/e1").kv()).isEmpty();
            assertThatThrownBy(() -> store.keepAliveLease(lease)).isInstanceOf(io.k4j.store.LeaseNotFoundException.class);
        }
    }

    @Test
    void everyAcknowledgedWriteSurvivesSigkillWithGapFreeRevisions() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "--enable-native-access=ALL-UNNAMED", DurabilityWriter.class.getName(), db().toString(), "8")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        Map<String, Long> acknowledged = new HashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (acknowledged.size() == 2_000) {
                    child.toHandle().destroyForcibly(); // SIGKILL, mid-stream; keeps reading what it had printed
                }
                String[] parts = line.split(" ");
                if (parts.length == 3 && parts[0].equals("ACK")) {
                    acknowledged.put(parts[1], Long.parseLong(parts[2]));
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
        assertThat(acknowledged.size()).isGreaterThanOrEqualTo(2_000);

        try (SqliteStore store = SqliteStore.open(db())) {
            Map<String, Long> stored = new HashMap<>();
            store.range(RangeRequest.prefix("/durable/")).items().forEach(kv -> stored.put(kv.key(), kv.modRevision()));
            assertThat(stored).containsAllEntriesOf(acknowledged);

            long current = store.currentRevision();
            RecordingListener history = new RecordingListener();
            try (Watch ignored = store.watch("/", 0, history)) {
                List<Long> revisions = history.awaitEvents((int) current).stream().map(e -> e.revision()).toList();
                assertThat(revisions).containsExactlyElementsOf(LongStream.rangeClosed(1, current).boxed().toList());
            }
            assertThat(stored).hasSize((int) current);
        }
    }
}

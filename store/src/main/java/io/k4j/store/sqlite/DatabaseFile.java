package io.k4j.store.sqlite;

import io.k4j.store.StoreStartupException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Properties;
import org.sqlite.SQLiteConfig;

/**
 * Opens the datastore file safely: one process at a time (a lock file beside it), never touching a file that
 * is not ours (wrong header, foreign tables, failed integrity check), creating the schema only in a new file.
 */
final class DatabaseFile implements AutoCloseable {

    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private final Path path;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DatabaseFile(Path path, FileChannel lockChannel, FileLock lock) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Locks and checks the file; creates the parent folder if needed. */
    static DatabaseFile claim(Path path) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path lockPath = path.resolveSibling(path.getFileName() + ".lock");
            FileChannel channel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException heldByThisProcess) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new StoreStartupException("datastore " + path + " is in use by another process (lock "
                        + lockPath + ")");
            }
            DatabaseFile file = new DatabaseFile(path, channel, lock);
            try {
                file.checkHeader();
                file.inspectExisting();
            } catch (RuntimeException | IOException e) {
                file.close();
                throw e;
            }
            return file;
        } catch (IOException e) {
            throw new StoreStartupException("cannot open datastore " + path + ": " + e.getMessage(), e);
        }
    }

    private void checkHeader() throws IOException {
        if (!Files.exists(path) || Files.size(path) == 0) {
            return;
        }
        byte[] header = new byte[SQLITE_HEADER.length];
        int read;
        try (InputStream in = Files.newInputStream(path)) {
            read = in.readNBytes(header, 0, header.length);
        }
        if (read < header.length || !Arrays.equals(header, SQLITE_HEADER)) {
            throw refuse("it is not an SQLite database");
        }
    }

    /** Opens a connection with the settings every k4j connection shares. */
    Connection connect(boolean writer) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: a commit returns only after the WAL is synced, so an acknowledged write survives a crash.
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        if (writer) {
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        }
        Properties properties = config.toProperties();
        try {
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + path.toAbsolutePath(), properties);
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException e) {
            throw refuse("SQLite could not open it (" + e.getMessage() + ")");
        }
    }

    /**
     * Verifies that an existing, non-empty file is a k4j datastore, on a read-only connection opened without
     * any settings, so a foreign file is refused before anything could change it.
     */
    private void inspectExisting() throws IOException {
        if (!Files.exists(path) || Files.size(path) == 0) {
            return;
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + path.toAbsolutePath(),
                config.toProperties()); Statement statement = connection.createStatement()) {
            if (tableCount(statement) == 0) {
                return;
            }
            String format = metaValue(statement, "format");
            if (!Schema.FORMAT.equals(format)) {
                throw refuse("it is an SQLite database but not a k4j datastore");
            }
            String version = metaValue(statement, "format_version");
            if (!String.valueOf(Schema.FORMAT_VERSION).equals(version)) {
                throw refuse("its format version " + version + " is not " + Schema.FORMAT_VERSION);
            }
            try (ResultSet rows = statement.executeQuery("PRAGMA quick_check")) {
                String verdict = rows.next() ? rows.getString(1) : "no answer";
                if (!"ok".equals(verdict)) {
                    throw refuse("its integrity check failed: " + verdict);
                }
            }
        } catch (SQLException e) {
            throw refuse("it could not be read as a database (" + e.getMessage() + ")");
        }
    }

    /** Creates the schema if the file holds no tables yet (it was checked to be ours otherwise). */
    void createSchemaIfNew(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            if (tableCount(statement) == 0) {
                for (String sql : Schema.CREATE) {
                    statement.executeUpdate(sql);
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw refuse("its schema could not be created (" + e.getMessage() + ")");
        }
    }

    private static int tableCount(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static String metaValue(Statement statement, String name) throws SQLException {
        try (ResultSet tables = statement.executeQuery(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'")) {
            if (!tables.next()) {
                return null;
            }
        }
        try (ResultSet rows = statement.executeQuery("SELECT value FROM meta WHERE name = '" + name + "'")) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private StoreStartupException refuse(String why) {
        return new StoreStartupException("refusing datastore file " + path.toAbsolutePath() + ": " + why
                + "; it was left untouched");
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException ignored) {
            // the lock goes with the process anyway
        }
    }
}

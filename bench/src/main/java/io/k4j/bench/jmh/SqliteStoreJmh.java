package io.k4j.bench.jmh;

import io.k4j.store.sqlite.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Micro paths of the SQLite store: a durable create (one group-commit round trip) and a point read. Run with
 * {@code k4j bench jmh SqliteStoreJmh}; add {@code -t 64} to see group commit share fsyncs between threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class SqliteStoreJmh {

    private Path dir;
    private SqliteStore store;
    private final AtomicLong next = new AtomicLong();
    private final byte[] value = new byte[1024];

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("k4j-jmh-");
        store = SqliteStore.open(dir.resolve("state.db"));
        store.create("/jmh/read", value);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        io.k4j.store.internal.TempDirs.deleteRecursively(dir);
    }

    @Benchmark
    public long durableCreate() {
        return store.create("/jmh/write/" + next.incrementAndGet(), value).modRevision();
    }

    @Benchmark
    public Object pointRead() {
        return store.get("/jmh/read").kv().orElseThrow();
    }
}

package io.k4j.store;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a window of history and forgets the rest, as the Kubernetes API server does: every window, it compacts
 * to the revision it saw one window ago. History therefore always covers at least the last window.
 *
 * <p>{@link #tick()} is the whole algorithm and takes no clock, so tests drive it directly; {@link #start}
 * only schedules it.
 */
public final class Compactor implements AutoCloseable {

    /** Upstream's default compaction interval. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    private final KeyValueStore store;
    private long revisionAtPreviousTick;
    private ScheduledExecutorService scheduler;

    public Compactor(KeyValueStore store) {
        this.store = store;
    }

    /**
     * Compacts to the revision seen at the previous tick (if any) and remembers the current one.
     *
     * @return the revision compacted to, or 0 if nothing was compacted
     */
    public synchronized long tick() {
        long target = revisionAtPreviousTick;
        revisionAtPreviousTick = store.currentRevision();
        if (target > 0) {
            store.compact(target);
        }
        return target;
    }

    /** Runs {@link #tick()} every {@code window} on a daemon thread until closed. */
    public synchronized Compactor start(Duration window) {
        if (scheduler != null) {
            throw new IllegalStateException("already started");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "k4j-store-compactor");
            thread.setDaemon(true);
            return thread;
        });
        long millis = window.toMillis();
        scheduler.scheduleAtFixedRate(this::tickLogged, 0, millis, TimeUnit.MILLISECONDS);
        return this;
    }

    private void tickLogged() {
        try {
            long compacted = tick();
            if (compacted > 0) {
                LOG.debug("compacted store history up to revision {}", compacted);
            }
        } catch (StoreException e) {
            LOG.warn("compaction failed, will retry next window: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}

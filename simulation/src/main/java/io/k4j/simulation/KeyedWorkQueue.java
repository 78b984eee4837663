package io.k4j.simulation;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands API writes to a small pool of workers, like client-go's work queue: work queued for a key that is already
 * waiting replaces it (only the latest matters), and one key never runs on two workers at once.
 */
final class KeyedWorkQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KeyedWorkQueue.class);

    private final ExecutorService workers;
    private final Map<String, Runnable> waiting = new HashMap<>();
    private final Set<String> running = new HashSet<>();
    private volatile boolean closed;

    KeyedWorkQueue(int workers) {
        this.workers = Executors.newFixedThreadPool(workers,
                Thread.ofPlatform().name("k4j-simulation-writer-", 0).daemon().factory());
    }

    void enqueue(String key, Runnable work) {
        synchronized (this) {
            boolean alreadyWaiting = waiting.put(key, work) != null;
            if (alreadyWaiting || running.contains(key)) {
                return; // the waiting entry, or the running one when it finishes, picks the work up
            }
        }
        submit(key);
    }

    private void submit(String key) {
        try {
            workers.execute(() -> run(key));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // shutting down
        }
    }

    private void run(String key) {
        Runnable work;
        synchronized (this) {
            work = waiting.remove(key);
            if (work == null) {
                return;
            }
            running.add(key);
        }
        try {
            work.run();
        } catch (RuntimeException e) {
            if (closed) {
                return; // interrupted by close(): not worth a warning
            }
            LOG.warn("simulation: {} failed: {}", key, e.toString());
        } finally {
            boolean again;
            synchronized (this) {
                running.remove(key);
                again = waiting.containsKey(key);
            }
            if (again) {
                submit(key);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

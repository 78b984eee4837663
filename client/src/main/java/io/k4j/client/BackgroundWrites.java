package io.k4j.client;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API writes done off the caller's thread, for writes whose failure the caller can live with (status hints, events):
 * each runs on a virtual thread, at most {@code inFlight} at a time; beyond {@code maxQueued} waiting writes new ones
 * are dropped (and counted). A failed write is logged and dropped; a 404 (the object is gone) is not even logged.
 */
public final class BackgroundWrites implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundWrites.class);

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore inFlight;
    private final int maxQueued;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();

    public BackgroundWrites(int inFlight, int maxQueued) {
        this.inFlight = new Semaphore(inFlight);
        this.maxQueued = maxQueued;
    }

    /** Runs the write in the background; {@code what} names it in the log. */
    public void submit(String what, Runnable write) {
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            if (dropped.getAndIncrement() % 1000 == 0) {
                LOG.warn("more than {} writes are waiting; dropping {} (and every 1000th is logged)", maxQueued, what);
            }
            return;
        }
        executor.execute(() -> {
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                queued.decrementAndGet();
                return;
            }
            try {
                write.run();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    LOG.warn("{} failed: {}", what, e.getMessage());
                }
            } catch (RuntimeException e) {
                LOG.warn("{} failed", what, e);
            } finally {
                inFlight.release();
                queued.decrementAndGet();
            }
        });
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}

package io.k4j.proxy;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The thread that runs syncs when the {@link SyncLimiter} says so. */
final class SyncLoop implements AutoCloseable {

    interface Sync {
        void run(boolean full) throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(SyncLoop.class);

    private final SyncLimiter limiter;
    private final Clock clock;
    private final Sync sync;
    private final Thread thread;
    private boolean closed;

    SyncLoop(String threadName, SyncLimiter limiter, Clock clock, Sync sync) {
        this.limiter = limiter;
        this.clock = clock;
        this.sync = sync;
        this.thread = Thread.ofPlatform().name(threadName).daemon().unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    synchronized void request() {
        limiter.request();
        notifyAll();
    }

    private void loop() {
        while (true) {
            boolean full;
            synchronized (this) {
                SyncLimiter.Decision d = limiter.next(clock.instant());
                if (closed) {
                    return;
                }
                if (!d.run()) {
                    try {
                        long millis = d.delay() == null ? 0 : Math.max(1, ceilMillis(d.delay()));
                        wait(millis);
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
                full = d.full();
                limiter.started(clock.instant(), full);
            }
            try {
                sync.run(full);
            } catch (Exception e) {
                log.warn("service proxy sync failed, retrying with a full sync: {}", e.toString());
                synchronized (this) {
                    limiter.failed();
                }
            }
        }
    }

    private static long ceilMillis(Duration d) {
        return (d.toNanos() + 999_999) / 1_000_000;
    }

    @Override
    public void close() throws InterruptedException {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        if (thread.isAlive() && Thread.currentThread() != thread) {
            thread.join(30_000);
        }
    }
}

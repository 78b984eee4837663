package io.k4j.store.sqlite;

import io.k4j.store.StoreException;
import io.k4j.store.StoreUnavailableException;
import io.k4j.store.Watch;
import io.k4j.store.WatchEvent;
import io.k4j.store.WatchListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans committed changes out to watches. A new watch first replays history from the log up to the last revision
 * published when it registered, then receives live batches, all of which are newer: registration and
 * publication share one lock, so the hand-over has no gap and no duplicate. Each watch delivers on its own
 * virtual thread, so a slow listener delays only itself; one that falls too far behind is ended.
 */
final class WatchHub implements AutoCloseable {

    /** Replays history for a new watch; see {@link Reads#changes}. */
    @FunctionalInterface
    interface History {
        void replay(String prefix, long afterRevision, long upToRevision, java.util.function.Consumer<List<WatchEvent>> sink);
    }

    private static final Logger LOG = LoggerFactory.getLogger(WatchHub.class);
    static final int MAX_PENDING_EVENTS = 100_000;

    private final Object lock = new Object();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final History history;
    private long published; // guarded by lock
    private boolean closed; // guarded by lock

    WatchHub(long publishedRevision, History history) {
        this.published = publishedRevision;
        this.history = history;
    }

    /** Called by the writer with the events of one committed transaction, in revision order. */
    void publish(List<WatchEvent> events) {
        synchronized (lock) {
            for (Subscription subscription : subscriptions) {
                subscription.offer(events);
            }
            published = events.get(events.size() - 1).revision();
        }
    }

    Watch subscribe(String prefix, long afterRevision, WatchListener listener) {
        Subscription subscription;
        synchronized (lock) {
            if (closed) {
                throw new StoreUnavailableException("the store is closed");
            }
            subscription = new Subscription(prefix, afterRevision, published, listener);
            subscriptions.add(subscription);
        }
        subscription.start();
        return subscription;
    }

    int size() {
        return subscriptions.size();
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        for (Subscription subscription : subscriptions) {
            subscription.fail(new StoreUnavailableException("the store is closed"));
        }
    }

    private final class Subscription implements Watch {
        private final String prefix;
        private final long afterRevision;
        private final long replayUpTo;
        private final WatchListener listener;
        /** Batches of events ({@code List<WatchEvent>}) and, last, possibly a {@link StoreException}. */
        private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
        private final AtomicInteger pendingEvents = new AtomicInteger();
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile boolean failing;
        private Thread thread;

        Subscription(String prefix, long afterRevision, long replayUpTo, WatchListener listener) {
            this.prefix = prefix;
            this.afterRevision = afterRevision;
            this.replayUpTo = replayUpTo;
            this.listener = listener;
        }

        void start() {
            thread = Thread.ofVirtual().name("k4j-watch " + prefix).start(this::deliver);
        }

        /** Queues the matching part of a committed batch; called under the hub lock. */
        void offer(List<WatchEvent> events) {
            if (failing) {
                return;
            }
            List<WatchEvent> matching = new ArrayList<>();
            for (WatchEvent event : events) {
                if (event.revision() > afterRevision && event.kv().key().startsWith(prefix)) {
                    matching.add(event);
                }
            }
            if (matching.isEmpty()) {
                return;
            }
            if (pendingEvents.addAndGet(matching.size()) > MAX_PENDING_EVENTS) {
                inbox.clear();
                fail(new StoreException("watch on " + prefix + " fell more than " + MAX_PENDING_EVENTS
                        + " events behind and was ended"));
                return;
            }
            inbox.add(matching);
        }

        /** Ends the watch with an error, delivered after nothing else, on the delivery thread. */
        void fail(StoreException error) {
            failing = true;
            inbox.add(error);
        }

        @SuppressWarnings("unchecked")
        private void deliver() {
            try {
                if (afterRevision < replayUpTo) {
                    history.replay(prefix, afterRevision, replayUpTo, this::send);
                }
                while (!done.get()) {
                    Object item = inbox.take();
                    if (item instanceof StoreException error) {
                        throw error;
                    }
                    List<WatchEvent> batch = (List<WatchEvent>) item;
                    pendingEvents.addAndGet(-batch.size());
                    send(batch);
                }
            } catch (InterruptedException e) {
                // closed by its owner: nothing more to say
            } catch (StoreException e) {
                if (end()) {
                    listener.onError(e);
                }
            } catch (RuntimeException e) {
                LOG.warn("watch listener on {} failed; ending the watch", prefix, e);
                if (end()) {
                    listener.onError(new StoreException("watch listener failed: " + e, e));
                }
            }
        }

        private void send(List<WatchEvent> batch) {
            if (!done.get()) {
                listener.onEvents(batch);
            }
        }

        private boolean end() {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            subscriptions.remove(this);
            return true;
        }

        @Override
        public void close() {
            if (end() && Thread.currentThread() != thread) {
                thread.interrupt();
            }
        }
    }
}

package io.k4j.store.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch.Listener;
import io.etcd.jetcd.Watch.Watcher;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import io.k4j.store.CompactedException;
import io.k4j.store.KeyValue;
import io.k4j.store.StoreException;
import io.k4j.store.StoreUnavailableException;
import io.k4j.store.Watch;
import io.k4j.store.WatchEvent;
import io.k4j.store.WatchListener;
import io.k4j.store.internal.KeyRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One store watch on etcd. etcd ends a watch stream when its member dies or loses the leader; this re-opens it
 * from the last revision delivered, so the listener sees one unbroken, duplicate-free stream. Only compaction,
 * or a cluster that stays unreachable for {@link #GIVE_UP_AFTER}, ends the watch with an error.
 */
final class EtcdWatch implements Watch {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdWatch.class);
    private static final Duration RETRY_DELAY = Duration.ofMillis(200);
    static final Duration GIVE_UP_AFTER = Duration.ofSeconds(60);

    private final io.etcd.jetcd.Watch client;
    private final ScheduledExecutorService retries;
    private final String prefix;
    private final WatchListener listener;
    private final BiFunction<Throwable, Long, StoreException> translate;
    private long lastRevision; // guarded by this
    private long failingSinceNanos; // guarded by this; 0 while healthy
    private boolean ended; // guarded by this
    private Watcher current; // guarded by this

    private EtcdWatch(io.etcd.jetcd.Watch client, ScheduledExecutorService retries, String prefix, long afterRevision,
                      WatchListener listener, BiFunction<Throwable, Long, StoreException> translate) {
        this.client = client;
        this.retries = retries;
        this.prefix = prefix;
        this.lastRevision = afterRevision;
        this.listener = listener;
        this.translate = translate;
    }

    static EtcdWatch start(io.etcd.jetcd.Watch client, ScheduledExecutorService retries, String prefix,
                           long afterRevision, WatchListener listener,
                           BiFunction<Throwable, Long, StoreException> translate) {
        EtcdWatch watch = new EtcdWatch(client, retries, prefix, afterRevision, listener, translate);
        watch.open();
        return watch;
    }

    private synchronized void open() {
        if (ended) {
            return;
        }
        WatchOption option = WatchOption.builder()
                .withRange(ByteSequence.from(KeyRange.prefixEnd(KeyRange.bytes(prefix))))
                .withRevision(lastRevision + 1)
                .withPrevKV(true)
                .build();
        ByteSequence start = ByteSequence.from(EtcdStore.nonEmpty(KeyRange.bytes(prefix)));
        current = client.watch(start, option, new StreamListener());
    }

    /** Receives one jetcd stream; a stream that failed is replaced, and its late callbacks are ignored. */
    private final class StreamListener implements Listener {
        @Override
        public void onNext(WatchResponse response) {
            deliver(this, response);
        }

        @Override
        public void onError(Throwable error) {
            failed(this, error);
        }

        @Override
        public void onCompleted() {
            failed(this, new StoreUnavailableException("etcd ended the watch stream"));
        }
    }

    private synchronized void deliver(StreamListener stream, WatchResponse response) {
        if (ended) {
            return;
        }
        List<WatchEvent> events = new ArrayList<>(response.getEvents().size());
        for (io.etcd.jetcd.watch.WatchEvent event : response.getEvents()) {
            WatchEvent converted = toWatchEvent(event);
            if (converted.revision() > lastRevision) {
                events.add(converted);
            }
        }
        failingSinceNanos = 0;
        if (!events.isEmpty()) {
            lastRevision = events.get(events.size() - 1).revision();
            listener.onEvents(events);
        }
    }

    private synchronized void failed(StreamListener stream, Throwable error) {
        if (ended) {
            return;
        }
        StoreException translated = translate.apply(error, lastRevision);
        long now = System.nanoTime();
        if (failingSinceNanos == 0) {
            failingSinceNanos = now;
        }
        if (translated instanceof CompactedException || now - failingSinceNanos > GIVE_UP_AFTER.toNanos()) {
            end();
            listener.onError(translated);
            return;
        }
        LOG.debug("watch on {} interrupted after revision {} ({}); resuming", prefix, lastRevision,
                translated.getMessage());
        current.close();
        retries.schedule(this::open, RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static WatchEvent toWatchEvent(io.etcd.jetcd.watch.WatchEvent event) {
        io.etcd.jetcd.KeyValue prev = event.getPrevKV();
        KeyValue previous = prev == null || prev.getModRevision() == 0 ? null : EtcdStore.toKeyValue(prev);
        KeyValue kv = EtcdStore.toKeyValue(event.getKeyValue());
        if (event.getEventType() == io.etcd.jetcd.watch.WatchEvent.EventType.DELETE) {
            return new WatchEvent(WatchEvent.Type.DELETE, new KeyValue(kv.key(), null, 0, kv.modRevision(), 0, 0),
                    previous);
        }
        return new WatchEvent(WatchEvent.Type.PUT, kv, previous);
    }

    private void end() {
        ended = true;
        if (current != null) {
            current.close();
        }
    }

    @Override
    public synchronized void close() {
        if (!ended) {
            end();
        }
    }
}

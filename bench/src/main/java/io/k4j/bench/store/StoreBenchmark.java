package io.k4j.bench.store;

import io.k4j.bench.Latencies;
import io.k4j.bench.Scenario;
import io.k4j.store.KeyValueStore;
import io.k4j.store.RangeRequest;
import io.k4j.store.StoreException;
import io.k4j.store.Watch;
import io.k4j.store.WatchEvent;
import io.k4j.store.WatchListener;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store load generator behind {@code k4j bench store}: durable writes at 1 and N concurrent writers, a range
 * read of many keys, and watch delivery latency to many watchers. Every scenario works under its own key prefix,
 * so one store can run them all in sequence. Bounded in count and time; it only talks to the store it is given.
 */
public final class StoreBenchmark {

    /** What to run; see {@code k4j bench store --help} for the meaning of each. */
    public record Settings(Duration writeDuration, List<Integer> writerCounts, int valueBytes, int rangeKeys,
                           int rangeRepeats, int watchers, int watchEvents, int watchEventsPerSecond) {
    }

    private final Settings settings;
    private final String backend;
    private final KeyValueStore store;
    private final String runId = Long.toString(System.nanoTime(), 36);

    public StoreBenchmark(String backend, KeyValueStore store, Settings settings) {
        this.backend = backend;
        this.store = store;
        this.settings = settings;
    }

    public List<Scenario> runAll() throws InterruptedException {
        List<Scenario> results = new ArrayList<>();
        for (int writers : settings.writerCounts()) {
            results.add(writes(writers));
        }
        results.add(range());
        results.add(watchDelivery());
        return results;
    }

    /** Creates distinct keys as fast as {@code writers} threads can, each waiting for its write to be durable. */
    Scenario writes(int writers) throws InterruptedException {
        byte[] value = new byte[settings.valueBytes()];
        String prefix = "/bench/" + runId + "/writes-" + writers + "/";
        Latencies[] perThread = new Latencies[writers];
        AtomicLong errors = new AtomicLong();
        long deadline = System.nanoTime() + settings.writeDuration().toNanos();
        CountDownLatch done = new CountDownLatch(writers);
        long start = System.nanoTime();
        for (int w = 0; w < writers; w++) {
            Latencies latencies = new Latencies();
            perThread[w] = latencies;
            String own = prefix + w + "/";
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (long i = 0; System.nanoTime() < deadline; i++) {
                        long before = System.nanoTime();
                        try {
                            store.create(own + i, value);
                            latencies.add(System.nanoTime() - before);
                        } catch (StoreException e) {
                            errors.incrementAndGet();
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        Latencies all = new Latencies();
        for (Latencies latencies : perThread) {
            all.addAll(latencies);
        }
        if (errors.get() > 0) {
            System.err.printf("%s: %d writes failed%n", backend, errors.get());
        }
        return new Scenario(backend, "create, " + writers + " writer" + (writers == 1 ? "" : "s") + ", "
                + settings.valueBytes() + " B values", all.count() / seconds, "writes/s",
                all.percentileMillis(0.5), all.percentileMillis(0.99), all.count());
    }

    /** Loads {@code rangeKeys} keys, then times reading all of them in one range, several times. */
    Scenario range() {
        byte[] value = new byte[settings.valueBytes()];
        String prefix = "/bench/" + runId + "/range/";
        for (int i = 0; i < settings.rangeKeys(); i++) {
            store.create(prefix + String.format("%08d", i), value);
        }
        Latencies latencies = new Latencies();
        store.range(RangeRequest.prefix(prefix)); // warm caches once
        long total = 0;
        for (int i = 0; i < settings.rangeRepeats(); i++) {
            long before = System.nanoTime();
            int items = store.range(RangeRequest.prefix(prefix)).items().size();
            long took = System.nanoTime() - before;
            if (items != settings.rangeKeys()) {
                throw new IllegalStateException("range returned " + items + " keys, expected " + settings.rangeKeys());
            }
            latencies.add(took);
            total += took;
        }
        double keysPerSecond = (double) settings.rangeKeys() * settings.rangeRepeats() / (total / 1e9);
        return new Scenario(backend, "range of " + settings.rangeKeys() + " keys", keysPerSecond, "keys/s",
                latencies.percentileMillis(0.5), latencies.percentileMillis(0.99), latencies.count());
    }

    /**
     * Opens {@code watchers} watches on one prefix, writes {@code watchEvents} values carrying their send time at a
     * steady pace, and measures, for every watcher and event, the time from before the write to delivery.
     */
    Scenario watchDelivery() throws InterruptedException {
        String prefix = "/bench/" + runId + "/watch/";
        int watchers = settings.watchers();
        int events = settings.watchEvents();
        CountDownLatch delivered = new CountDownLatch(watchers);
        Latencies[] perWatcher = new Latencies[watchers];
        List<Watch> watches = new ArrayList<>(watchers);
        long from = store.currentRevision();
        for (int i = 0; i < watchers; i++) {
            Latencies latencies = new Latencies();
            perWatcher[i] = latencies;
            watches.add(store.watch(prefix, from, new WatchListener() {
                private int seen;

                @Override
                public void onEvents(List<WatchEvent> batch) {
                    long now = System.nanoTime();
                    synchronized (latencies) {
                        for (WatchEvent event : batch) {
                            latencies.add(now - ByteBuffer.wrap(event.kv().value()).getLong());
                        }
                        seen += batch.size();
                        if (seen == events) {
                            delivered.countDown();
                        }
                    }
                }

                @Override
                public void onError(StoreException error) {
                    System.err.println(backend + ": watch failed: " + error.getMessage());
                }
            }));
        }
        long interval = TimeUnit.SECONDS.toNanos(1) / settings.watchEventsPerSecond();
        long start = System.nanoTime();
        byte[] value = new byte[Math.max(8, settings.valueBytes())];
        for (int i = 0; i < events; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            ByteBuffer.wrap(value).putLong(System.nanoTime());
            store.create(prefix + i, value);
        }
        boolean complete = delivered.await(60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        watches.forEach(Watch::close);
        Latencies all = new Latencies();
        for (Latencies latencies : perWatcher) {
            synchronized (latencies) {
                all.addAll(latencies);
            }
        }
        if (!complete) {
            System.err.printf("%s: only %d of %d watch deliveries arrived%n", backend, all.count(),
                    (long) watchers * events);
        }
        return new Scenario(backend, "watch delivery, " + watchers + " watchers", all.count() / seconds,
                "events/s", all.percentileMillis(0.5), all.percentileMillis(0.99), all.count());
    }
}

package io.k4j.store;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Collects what a watch delivers, for assertions. */
public final class RecordingListener implements WatchListener {

    private final List<WatchEvent> events = new ArrayList<>();
    private final AtomicReference<StoreException> error = new AtomicReference<>();
    private volatile boolean overlapping;
    private volatile boolean inCall;

    @Override
    public void onEvents(List<WatchEvent> batch) {
        if (inCall) {
            overlapping = true;
        }
        inCall = true;
        synchronized (events) {
            events.addAll(batch);
        }
        inCall = false;
    }

    @Override
    public void onError(StoreException failure) {
        error.set(failure);
    }

    public List<WatchEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    public int size() {
        synchronized (events) {
            return events.size();
        }
    }

    public StoreException error() {
        return error.get();
    }

    boolean sawOverlappingCalls() {
        return overlapping;
    }

    /** Waits until at least {@code count} events arrived and returns them all. */
    public List<WatchEvent> awaitEvents(int count) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5)).until(() -> size() >= count);
        return events();
    }

    /** Waits until the watch ended with an error and returns it. */
    public StoreException awaitError() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5)).until(() -> error.get() != null);
        return error.get();
    }

    /** The revisions of the events, in arrival order. */
    public List<Long> revisions() {
        List<Long> revisions = new ArrayList<>();
        for (WatchEvent event : events()) {
            revisions.add(event.revision());
        }
        return revisions;
    }
}

package io.k4j.apiserver.server;

import io.k4j.apiserver.endpoints.ApiMetrics;
import io.k4j.store.DeleteResult;
import io.k4j.store.GetResult;
import io.k4j.store.KeyValue;
import io.k4j.store.KeyValueStore;
import io.k4j.store.RangeRequest;
import io.k4j.store.RangeResult;
import io.k4j.store.Watch;
import io.k4j.store.WatchListener;
import java.time.Duration;
import java.util.function.Supplier;

/** A store that reports how long each operation takes to the API server's metrics. */
final class InstrumentedStore implements KeyValueStore {

    private final KeyValueStore delegate;
    private final ApiMetrics metrics;

    InstrumentedStore(KeyValueStore delegate, ApiMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    private <T> T timed(String operation, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            return call.get();
        } finally {
            metrics.observeStore(operation, System.nanoTime() - start);
        }
    }

    @Override
    public GetResult get(String key) {
        return timed("get", () -> delegate.get(key));
    }

    @Override
    public RangeResult range(RangeRequest request) {
        return timed("list", () -> delegate.range(request));
    }

    @Override
    public KeyValue create(String key, byte[] value, long lease) {
        return timed("create", () -> delegate.create(key, value, lease));
    }

    @Override
    public KeyValue update(String key, byte[] value, long expectedModRevision, long lease) {
        return timed("update", () -> delegate.update(key, value, expectedModRevision, lease));
    }

    @Override
    public DeleteResult delete(String key, long expectedModRevision) {
        return timed("delete", () -> delegate.delete(key, expectedModRevision));
    }

    @Override
    public Watch watch(String prefix, long afterRevision, WatchListener listener) {
        return delegate.watch(prefix, afterRevision, listener);
    }

    @Override
    public long grantLease(Duration ttl) {
        return timed("grantLease", () -> delegate.grantLease(ttl));
    }

    @Override
    public void keepAliveLease(long lease) {
        delegate.keepAliveLease(lease);
    }

    @Override
    public void revokeLease(long lease) {
        delegate.revokeLease(lease);
    }

    @Override
    public void compact(long revision) {
        delegate.compact(revision);
    }

    @Override
    public long currentRevision() {
        return timed("currentRevision", delegate::currentRevision);
    }

    @Override
    public void close() {
        delegate.close();
    }
}

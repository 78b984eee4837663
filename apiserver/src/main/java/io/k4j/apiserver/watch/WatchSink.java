package io.k4j.apiserver.watch;

/**
 * Where a cache watch delivers. Calls come from the cache's dispatch thread in revision order and must not block:
 * implementations queue the event. Returning false ends the watch (the consumer is gone or too far behind).
 */
@FunctionalInterface
public interface WatchSink {
    boolean offer(CacheEvent event);
}

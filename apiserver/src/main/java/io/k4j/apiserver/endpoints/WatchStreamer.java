package io.k4j.apiserver.endpoints;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.http.Exchange;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.watch.CacheEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes one watch to its client: one JSON event per line (chunked HTTP) or per text frame (WebSocket), plain
 * objects or one-row Tables, with periodic bookmarks when asked. Events wait in a bounded queue; a client that
 * lets it fill is cut off rather than buffered without bound. Ends at the timeout, when the client leaves, or when
 * the cache drops the watch, and always unregisters from the cache.
 */
final class WatchStreamer {

    static final int QUEUE_CAPACITY = 10_000;
    private static final Duration BOOKMARK_INTERVAL = Duration.ofMinutes(1);
    private static final Duration SLOW_CLIENT_LIMIT = Duration.ofSeconds(30);

    /** How events are framed in the response. */
    record Options(ResourceDefinition definition, boolean table, String includeObject, boolean bookmarks,
                   Duration timeout) {
    }

    // Linked, not an array: an idle watch must cost next to nothing (ten thousand of them are normal).
    private final BlockingQueue<CacheEvent> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final Options options;
    private final LongSupplier currentRevision;
    private volatile boolean overflowed;
    private boolean sentColumns;

    WatchStreamer(Options options, LongSupplier currentRevision) {
        this.options = options;
        this.currentRevision = currentRevision;
    }

    /** The cache's sink: never blocks; false (and the end of the watch) when the client fell too far behind. */
    boolean offer(CacheEvent event) {
        if (queue.offer(event)) {
            return true;
        }
        overflowed = true;
        return false;
    }

    /** Streams until the end; {@code unregister} removes the watch from the cache. Runs on the request's thread. */
    void run(Exchange.Stream stream, Runnable unregister) {
        Thread writer = Thread.currentThread();
        Runnable stopListening = stream.onClose(writer::interrupt);
        long deadline = System.nanoTime() + options.timeout().toNanos();
        long nextBookmark = System.nanoTime() + BOOKMARK_INTERVAL.toNanos();
        try {
            while (stream.isOpen() && !overflowed) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    break;
                }
                CacheEvent event = queue.poll(Math.min(deadline - now, Math.max(0, nextBookmark - now)) + 1,
                        TimeUnit.NANOSECONDS);
                if (event != null) {
                    if (!stream.awaitWritable(SLOW_CLIENT_LIMIT)) {
                        break; // the client stopped reading, or left
                    }
                    stream.write(encode(event));
                } else if (options.bookmarks() && System.nanoTime() >= nextBookmark) {
                    stream.write(bookmark(currentRevision.getAsLong()));
                    nextBookmark = System.nanoTime() + BOOKMARK_INTERVAL.toNanos();
                }
            }
        } catch (InterruptedException e) {
            // the client went away
        } finally {
            stopListening.run();
            unregister.run();
            stream.close();
        }
    }

    /** An in-stream error, such as 410 Expired, followed by the end of the stream. */
    static byte[] errorEvent(ApiException error) {
        ObjectNode event = Json.object();
        event.put("type", "ERROR");
        event.set("object", error.toStatus());
        return line(event);
    }

    private byte[] encode(CacheEvent event) {
        if (event.type() == CacheEvent.Type.BOOKMARK) {
            return initialEventsEnd(event.revision());
        }
        if (!options.table()) {
            // The object's JSON is shared by every watcher; only the envelope is written here.
            byte[] object = event.cached().json();
            byte[] head = ("{\"type\":\"" + event.type().name() + "\",\"object\":").getBytes(StandardCharsets.UTF_8);
            byte[] line = new byte[head.length + object.length + 2];
            System.arraycopy(head, 0, line, 0, head.length);
            System.arraycopy(object, 0, line, head.length, object.length);
            line[line.length - 2] = '}';
            line[line.length - 1] = '\n';
            return line;
        }
        ObjectNode table = Tables.table(options.definition(), List.of(event.object()), null, null,
                options.includeObject(), !sentColumns, Instant.now());
        sentColumns = true;
        ObjectNode wrapper = Json.object();
        wrapper.put("type", event.type().name());
        wrapper.set("object", table);
        return line(wrapper);
    }

    private byte[] bookmark(long revision) {
        ObjectNode object = Json.object();
        object.put("kind", options.definition().kind());
        object.put("apiVersion", options.definition().apiVersion());
        object.putObject("metadata").put("resourceVersion", Long.toString(revision));
        ObjectNode wrapper = Json.object();
        wrapper.put("type", "BOOKMARK");
        wrapper.set("object", object);
        return line(wrapper);
    }

    /** A bookmark that marks the end of the initial events of a sendInitialEvents watch. */
    private byte[] initialEventsEnd(long revision) {
        ObjectNode object = Json.object();
        object.put("kind", options.definition().kind());
        object.put("apiVersion", options.definition().apiVersion());
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("resourceVersion", Long.toString(revision));
        metadata.putObject("annotations").put("k8s.io/initial-events-end", "true");
        ObjectNode wrapper = Json.object();
        wrapper.put("type", "BOOKMARK");
        wrapper.set("object", object);
        return line(wrapper);
    }

    private static byte[] line(ObjectNode node) {
        return (Json.text(node) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}

package io.k4j.apiserver.endpoints;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.http.Exchange;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.table.TableConvertor;
import io.k4j.apiserver.table.TableConvertors;
import io.k4j.apiserver.watch.CacheEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes one watch to its client: one JSON event per line (chunked HTTP) or per text frame (WebSocket), plain
 * objects or one-row Tables, with periodic bookmarks when asked. Events wait in a bounded queue; a client that
 * lets it fill is cut off rather than buffered without bound. Ends at the timeout, when the client leaves, or when
 * the cache drops the watch, and always unregisters from the cache.
 */
final class WatchStreamer {

    static final int QUEUE_CAPACITY = 10_000;
    private static final java.util.Map<CacheEvent.Type, byte[]> EVENT_HEADS = new java.util.EnumMap<>(
            CacheEvent.Type.class);
    private static final byte[] EVENT_TAIL = "}\n".getBytes(StandardCharsets.UTF_8);

    static {
        for (CacheEvent.Type type : CacheEvent.Type.values()) {
            EVENT_HEADS.put(type, ("{\"type\":\"" + type.name() + "\",\"object\":").getBytes(StandardCharsets.UTF_8));
        }
    }
    private static final Duration BOOKMARK_INTERVAL = Duration.ofMinutes(1);
    private static final Duration SLOW_CLIENT_LIMIT = Duration.ofSeconds(30);

    /** How events are framed in the response; {@code read} is null when objects are sent as stored. */
    record Options(ResourceDefinition definition, boolean table, String includeObject, boolean bookmarks,
                   Duration timeout, TableConvertor convertor, UnaryOperator<ObjectNode> read) {
        Options(ResourceDefinition definition, boolean table, String includeObject, boolean bookmarks,
                Duration timeout) {
            this(definition, table, includeObject, bookmarks, timeout,
                    TableConvertors.forKind(definition.group(), definition.kind()), null);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    // Events the client has not taken yet, oldest first; the head stays until it is written, so that newer events
    // queue behind it. Tiny when empty: an idle watch must cost next to nothing (ten thousand of them are normal).
    private final ArrayDeque<CacheEvent> backlog = new ArrayDeque<>(1);
    private final Options options;
    private final LongSupplier currentRevision;
    private Exchange.Stream stream; // null until run() starts
    private boolean overflowed;
    private boolean sentColumns;

    WatchStreamer(Options options, LongSupplier currentRevision) {
        this.options = options;
        this.currentRevision = currentRevision;
    }

    /**
     * The cache's sink: never blocks; false (and the end of the watch) when the client fell too far behind. When
     * nothing is waiting and the client keeps up, the event is written right here, on the cache's thread: one
     * event for a thousand watchers then costs a thousand writes into Netty, not a thousand thread wake-ups.
     */
    boolean offer(CacheEvent event) {
        lock.lock();
        try {
            if (overflowed) {
                return false;
            }
            if (stream != null && backlog.isEmpty() && stream.writable()) {
                stream.write(encode(event));
                return true;
            }
            if (backlog.size() >= QUEUE_CAPACITY) {
                overflowed = true;
                queued.signal();
                if (stream != null) {
                    stream.close(); // also wakes the writer if it waits for the client to read
                }
                return false;
            }
            backlog.add(event);
            queued.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Streams until the end; {@code unregister} removes the watch from the cache. Runs on the request's thread,
     * which writes what waited (events from before the stream opened, or for a slow client) and bookmarks.
     */
    void run(Exchange.Stream stream, Runnable unregister) {
        Thread writer = Thread.currentThread();
        Runnable stopListening = stream.onClose(writer::interrupt);
        long deadline = System.nanoTime() + options.timeout().toNanos();
        long nextBookmark = options.bookmarks() ? System.nanoTime() + BOOKMARK_INTERVAL.toNanos() : Long.MAX_VALUE;
        try {
            lock.lock();
            try {
                this.stream = stream;
            } finally {
                lock.unlock();
            }
            while (true) {
                CacheEvent event;
                lock.lock();
                try {
                    while (backlog.isEmpty() && !overflowed && stream.isOpen()) {
                        long now = System.nanoTime();
                        if (now >= deadline) {
                            return;
                        }
                        if (now >= nextBookmark) {
                            stream.write(bookmark(currentRevision.getAsLong()));
                            nextBookmark = now + BOOKMARK_INTERVAL.toNanos();
                        }
                        queued.awaitNanos(Math.min(deadline, nextBookmark) - now);
                    }
                    if (overflowed || !stream.isOpen()) {
                        return;
                    }
                    event = backlog.peek();
                } finally {
                    lock.unlock();
                }
                if (!stream.awaitWritable(SLOW_CLIENT_LIMIT)) {
                    return; // the client stopped reading, or left
                }
                lock.lock();
                try {
                    backlog.poll();
                    stream.write(encode(event));
                } finally {
                    lock.unlock();
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

    /** One event line, in parts that are written together. */
    private byte[][] encode(CacheEvent event) {
        if (event.type() == CacheEvent.Type.BOOKMARK) {
            return new byte[][] {initialEventsEnd(event.revision())};
        }
        ObjectNode prepared = options.read() == null ? null : options.read().apply(event.object());
        if (!options.table()) {
            if (prepared == null) {
                // Sent as stored: one line per event, shared by every such watcher. As one buffer it also spares
                // TLS from merging a composite of parts into a new array per watcher.
                return new byte[][] {event.encoded(WatchStreamer::storedLine)};
            }
            return new byte[][] {EVENT_HEADS.get(event.type()), Json.bytes(prepared), EVENT_TAIL};
        }
        ObjectNode table = Tables.table(options.convertor(), List.of(prepared != null ? prepared : event.object()),
                null, null, options.includeObject(), !sentColumns, Instant.now());
        sentColumns = true;
        ObjectNode wrapper = Json.object();
        wrapper.put("type", event.type().name());
        wrapper.set("object", table);
        return new byte[][] {line(wrapper)};
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

    private static byte[] storedLine(CacheEvent event) {
        byte[] head = EVENT_HEADS.get(event.type());
        byte[] object = event.cached().json();
        byte[] line = java.util.Arrays.copyOf(head, head.length + object.length + EVENT_TAIL.length);
        System.arraycopy(object, 0, line, head.length, object.length);
        System.arraycopy(EVENT_TAIL, 0, line, head.length + object.length, EVENT_TAIL.length);
        return line;
    }

    private static byte[] line(ObjectNode node) {
        return (Json.text(node) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}

package io.k4j.apiserver.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.http.Exchange;
import io.k4j.apiserver.registry.ResourceRegistry;
import io.k4j.apiserver.watch.CacheEvent;
import io.k4j.apiserver.watch.CachedObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Ordering and back-pressure of one watch's stream, against an in-memory stream the test controls. */
class WatchStreamerTest {

    private final WatchStreamer.Options options = new WatchStreamer.Options(
            ResourceRegistry.withBuiltins().require("", "v1", "configmaps"), false, null, false, Duration.ofHours(1));

    @Test
    void eventsFromBeforeTheStreamOpenedComeFirstThenLiveEventsAreWrittenByTheCachesThread() throws Exception {
        WatchStreamer streamer = new WatchStreamer(options, () -> 1);
        streamer.offer(event("a", 1));
        streamer.offer(event("b", 2));
        FakeStream stream = new FakeStream();
        Thread writer = Thread.ofVirtual().start(() -> streamer.run(stream, stream::unregistered));

        stream.awaitWritten(2);
        assertThat(streamer.offer(event("c", 3))).isTrue();
        // Written inside offer(): nothing to hand to the watch's own thread.
        assertThat(stream.names()).containsExactly("a", "b", "c");

        stream.close();
        writer.join();
        assertThat(stream.unregistered.getCount()).isZero();
    }

    @Test
    void watchersOfAnEventSentAsStoredShareOneEncodedLine() throws Exception {
        FakeStream first = new FakeStream();
        FakeStream second = new FakeStream();
        List<Thread> writers = new ArrayList<>();
        List<WatchStreamer> streamers = new ArrayList<>();
        for (FakeStream stream : List.of(first, second)) {
            WatchStreamer streamer = new WatchStreamer(options, () -> 1);
            streamers.add(streamer);
            writers.add(Thread.ofVirtual().start(() -> streamer.run(stream, stream::unregistered)));
            stream.awaitOpened();
        }
        CacheEvent event = event("shared", 7);
        streamers.forEach(streamer -> streamer.offer(event));
        first.awaitWritten(1);
        second.awaitWritten(1);
        assertThat(first.messages.getFirst().length).isEqualTo(1);
        assertThat(first.messages.getFirst()[0]).isSameAs(second.messages.getFirst()[0]);
        assertThat(first.lines.getFirst()).startsWith("{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"v1\"")
                .endsWith("}}\n");
        assertThat(Json.parse(first.messages.getFirst()[0]).path("object").path("metadata").path("name").asString())
                .isEqualTo("shared");
        first.close();
        second.close();
        for (Thread writer : writers) {
            writer.join();
        }
    }

    @Test
    void aClientThatCannotTakeMoreGetsItsEventsLaterInOrder() throws Exception {
        WatchStreamer streamer = new WatchStreamer(options, () -> 1);
        FakeStream stream = new FakeStream();
        Thread writer = Thread.ofVirtual().start(() -> streamer.run(stream, stream::unregistered));
        stream.awaitOpened();
        streamer.offer(event("a", 1));
        stream.awaitWritten(1);

        stream.setWritable(false);
        streamer.offer(event("b", 2));
        streamer.offer(event("c", 3));
        assertThat(stream.names()).containsExactly("a");

        stream.setWritable(true);
        stream.awaitWritten(3);
        // A new event while the writer may still be catching up must queue behind the older ones.
        streamer.offer(event("d", 4));
        stream.awaitWritten(4);
        assertThat(stream.names()).containsExactly("a", "b", "c", "d");

        stream.close();
        writer.join();
    }

    @Test
    void aClientThatFallsTooFarBehindIsCutOffAndUnregistered() throws Exception {
        WatchStreamer streamer = new WatchStreamer(options, () -> 1);
        FakeStream stream = new FakeStream();
        stream.setWritable(false);
        Thread writer = Thread.ofVirtual().start(() -> streamer.run(stream, stream::unregistered));
        stream.awaitOpened();
        for (int i = 0; i < WatchStreamer.QUEUE_CAPACITY; i++) {
            assertThat(streamer.offer(event("o" + i, i + 1))).isTrue();
        }
        assertThat(streamer.offer(event("one-too-many", 0))).isFalse();

        assertThat(stream.unregistered.await(10, TimeUnit.SECONDS)).isTrue();
        writer.join();
        assertThat(stream.closed).isTrue();
        assertThat(stream.names()).isEmpty();
    }

    private static CacheEvent event(String name, long revision) {
        ObjectNode object = Json.object();
        object.put("apiVersion", "v1");
        object.put("kind", "ConfigMap");
        object.putObject("metadata").put("name", name).put("resourceVersion", Long.toString(revision));
        return new CacheEvent(CacheEvent.Type.ADDED, "/registry/core/configmaps/default/" + name,
                new CachedObject(object), null, revision);
    }

    /** A response stream in memory; writability is the test's to set. */
    private static final class FakeStream implements Exchange.Stream {
        private final List<String> lines = new ArrayList<>();
        private final List<byte[][]> messages = new ArrayList<>();
        private final CountDownLatch unregistered = new CountDownLatch(1);
        private final CountDownLatch opened = new CountDownLatch(1);
        private volatile boolean writable = true;
        private volatile boolean closed;
        private volatile Runnable onClose = () -> { };

        @Override
        public synchronized void write(byte[]... message) {
            StringBuilder line = new StringBuilder();
            for (byte[] part : message) {
                line.append(new String(part, StandardCharsets.UTF_8));
            }
            lines.add(line.toString());
            messages.add(message);
            notifyAll();
        }

        @Override
        public boolean writable() {
            return writable;
        }

        @Override
        public synchronized boolean awaitWritable(Duration limit) throws InterruptedException {
            while (!writable && !closed) {
                wait();
            }
            return !closed;
        }

        synchronized void setWritable(boolean writable) {
            this.writable = writable;
            notifyAll();
        }

        @Override
        public boolean isOpen() {
            return !closed;
        }

        @Override
        public synchronized void close() {
            closed = true;
            notifyAll();
            onClose.run();
        }

        @Override
        public Runnable onClose(Runnable action) {
            onClose = action;
            opened.countDown();
            return () -> onClose = () -> { };
        }

        void unregistered() {
            unregistered.countDown();
        }

        void awaitOpened() throws InterruptedException {
            assertThat(opened.await(10, TimeUnit.SECONDS)).isTrue();
        }

        synchronized void awaitWritten(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (lines.size() < count && System.nanoTime() < deadline) {
                wait(100);
            }
            assertThat(lines).hasSizeGreaterThanOrEqualTo(count);
        }

        synchronized List<String> names() {
            return lines.stream().map(line -> Json.parse(line.getBytes(StandardCharsets.UTF_8)).path("object").path("metadata").path("name")
                    .asString()).toList();
        }
    }
}

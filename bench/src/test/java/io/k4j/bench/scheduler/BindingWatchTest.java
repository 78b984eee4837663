package io.k4j.bench.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BindingWatchTest {

    private static final String STREAM = """
            {"type":"ADDED","object":{"kind":"Pod","metadata":{"name":"a","labels":{"name":"x"}},\
            "spec":{"containers":[{"name":"c","resources":{"requests":{"cpu":"1"}}}]},"status":{"phase":"Pending"}}}
            {"type":"MODIFIED","object":{"kind":"Pod","metadata":{"name":"a","annotations":{"n":"ü"}},\
            "spec":{"nodeName":"node-7","containers":[{"name":"c"}]},"status":{}}}
            {"type":"MODIFIED","object":{"metadata":{"name":"b","deletionTimestamp":"2026-11-27T00:00:00Z"},\
            "spec":{"nodeName":"node-1"}}}
            {"type":"DELETED","object":{"metadata":{"name":"b"},"spec":{"nodeName":"node-1"}}}
            """;

    /** Each event reaches the listener with its own fields, however the stream is cut into pieces. */
    @Test
    void readsNameNodeAndDeletionOfEachEventWhereverTheStreamIsCut() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int piece : new int[] {1, 7, 64, bytes.length}) {
            List<String> seen = new ArrayList<>();
            BindingWatch.Events events = new BindingWatch.Events(
                    (name, node, deleting) -> seen.add(name + "@" + node + (deleting ? " deleting" : "")));
            for (int at = 0; at < bytes.length; at += piece) {
                events.feed(List.of(ByteBuffer.wrap(bytes, at, Math.min(piece, bytes.length - at)).slice()));
            }
            assertThat(seen).as("pieces of %d bytes", piece)
                    .containsExactly("a@null", "a@node-7", "b@node-1 deleting");
        }
    }
}

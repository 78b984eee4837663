package io.k4j.bench.scheduler;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.async.ByteBufferFeeder;
import tools.jackson.core.json.JsonFactory;

/**
 * The benchmark's eyes on its pods: one watch on its namespace, whose events are read token by token for the three
 * fields the benchmark needs (the pod's name, spec.nodeName, metadata.deletionTimestamp) instead of being decoded
 * into Pod objects by an informer. The benchmark shares the two cores with the server and the scheduler it measures,
 * and decoding every pod event was most of its own CPU while the scheduler worked through a backlog.
 *
 * <p>The watch starts from the namespace's current revision, so it sees pods created after {@link #start}; it is
 * not resumed if the server ends it (the benchmark then fails waiting for bindings, which names the scheduler log).
 */
final class BindingWatch implements AutoCloseable {

    /** Told of every pod event but deletions, on the watch's thread. */
    interface Listener {
        void onPod(String name, String nodeName, boolean deleting);
    }

    private static final JsonFactory JSON = new JsonFactory();

    private final AsyncBody body;

    private BindingWatch(AsyncBody body) {
        this.body = body;
    }

    static BindingWatch start(KubernetesClient client, String namespace, Listener listener) throws Exception {
        String revision = client.pods().inNamespace(namespace).list(new ListOptionsBuilder().withLimit(1L).build())
                .getMetadata().getResourceVersion();
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder()
                .uri(client.getMasterUrl() + "api/v1/namespaces/" + namespace + "/pods?watch=true&resourceVersion="
                        + revision)
                .build();
        Events events = new Events(listener);
        HttpResponse<AsyncBody> response = client.getHttpClient().consumeBytes(request, (buffers, async) -> {
            events.feed(buffers);
            async.consume();
        }).get(1, TimeUnit.MINUTES);
        if (response.code() != 200) {
            throw new IllegalStateException("watching pods failed: HTTP " + response.code());
        }
        response.body().consume();
        return new BindingWatch(response.body());
    }

    @Override
    public void close() {
        body.cancel();
    }

    /** Reads a stream of watch events as it arrives, in whatever pieces. */
    static final class Events {
        private final Listener listener;
        private final JsonParser parser = JSON.createNonBlockingByteBufferParser(ObjectReadContext.empty());
        private final ByteBufferFeeder feeder = (ByteBufferFeeder) parser.nonBlockingInputFeeder();
        /** Property names from the event down to the current object; "[" for an array. */
        private final Deque<String> path = new ArrayDeque<>();
        private String property;
        private String type;
        private String name;
        private String nodeName;
        private boolean deleting;

        Events(Listener listener) {
            this.listener = listener;
        }

        void feed(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                feeder.feedInput(buffer);
                JsonToken token;
                while ((token = parser.nextToken()) != JsonToken.NOT_AVAILABLE && token != null) {
                    read(token);
                }
            }
        }

        private void read(JsonToken token) {
            switch (token) {
                case START_OBJECT -> path.push(property == null ? "" : property);
                case START_ARRAY -> path.push("[");
                case END_ARRAY -> path.pop();
                case END_OBJECT -> {
                    path.pop();
                    if (path.isEmpty()) {
                        if (name != null && !"DELETED".equals(type)) {
                            listener.onPod(name, nodeName, deleting);
                        }
                        type = name = nodeName = null;
                        deleting = false;
                    }
                }
                case PROPERTY_NAME -> property = parser.currentName();
                default -> value(token);
            }
            if (token != JsonToken.PROPERTY_NAME) {
                property = null;
            }
        }

        /** A scalar at {@link #property}: kept if it is one of the fields the benchmark reads. */
        private void value(JsonToken token) {
            String text = token == JsonToken.VALUE_STRING ? parser.getString() : null;
            switch (path.size()) {
                case 1 -> {
                    if ("type".equals(property)) {
                        type = text;
                    }
                }
                case 3 -> {
                    String parent = path.peek();
                    if ("metadata".equals(parent) && "name".equals(property)) {
                        name = text;
                    } else if ("metadata".equals(parent) && "deletionTimestamp".equals(property)) {
                        deleting = text != null;
                    } else if ("spec".equals(parent) && "nodeName".equals(property)) {
                        nodeName = text;
                    }
                }
                default -> {
                }
            }
        }
    }
}

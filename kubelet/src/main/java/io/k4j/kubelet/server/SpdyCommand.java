package io.k4j.kubelet.server;

import io.netty.handler.codec.spdy.SpdyHeaders;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Exec and attach over SPDY (channel.k8s.io v2 to v5): the client opens one stream per {@code streamType}
 * (error, and stdin, stdout, stderr, resize as asked); the command starts once all expected streams are open. The
 * outcome goes on the error stream: a JSON Status from v4 on, the bare message before.
 */
final class SpdyCommand implements SpdyConnection.Listener, CommandOutput {

    private final SpdyConnection connection;
    private final RemoteCommandSession session;
    private final Set<String> expected;
    private final boolean jsonStatus;
    // Filled on the event loop, read by the output threads.
    private final Map<String, Integer> streams = new ConcurrentHashMap<>();
    private volatile boolean started;

    SpdyCommand(SpdyConnection connection, RemoteCommandSession session, Set<String> expected, String protocol) {
        this.connection = connection;
        this.session = session;
        this.expected = expected;
        this.jsonStatus = protocol.startsWith("v4.") || protocol.startsWith("v5.");
    }

    @Override
    public void stream(int id, SpdyHeaders headers) {
        String type = headers.getAsString("streamtype");
        if (type != null) {
            streams.put(type, id);
        }
        if (!started && streams.keySet().containsAll(expected)) {
            started = true;
            session.start(this);
        }
    }

    private boolean is(String type, int id) {
        Integer stream = streams.get(type);
        return stream != null && stream == id;
    }

    /** Whether every expected stream arrived and the command runs. */
    boolean started() {
        return started;
    }

    @Override
    public void data(int id, byte[] data) {
        if (is("stdin", id)) {
            session.stdin(data);
        } else if (is("resize", id)) {
            session.resize(data);
        }
    }

    @Override
    public void finished(int id) {
        if (is("stdin", id)) {
            session.stdinClosed();
        }
    }

    @Override
    public void reset(int id) {
        finished(id);
    }

    @Override
    public void closed() {
        session.clientGone();
    }

    @Override
    public void stdout(byte[] data, int length) {
        write("stdout", data, length);
    }

    @Override
    public void stderr(byte[] data, int length) {
        write("stderr", data, length);
    }

    private void write(String type, byte[] data, int length) {
        Integer id = streams.get(type);
        if (id != null) {
            connection.write(id, data, length, false);
        }
    }

    @Override
    public void finish(CommandStatus status) {
        String text = jsonStatus ? status.json() : status.success() ? "" : status.message();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (String type : new String[] {"stdout", "stderr"}) {
            Integer id = streams.get(type);
            if (id != null) {
                connection.write(id, new byte[0], 0, true);
            }
        }
        Integer error = streams.get("error");
        if (error != null) {
            connection.write(error, bytes, bytes.length, true);
        }
        connection.close();
    }
}

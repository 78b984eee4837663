package io.k4j.kubelet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k4j.kubelet.runtime.StreamSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyHeaders;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The wire framing of exec over WebSocket channels and of SPDY streams, on embedded channels. */
class ChannelFramingTest {

    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    @Test
    void statusIsUpstreamsMetaV1Status() {
        assertThat(CommandStatus.exited(0, "true").json()).isEqualTo("{\"metadata\":{},\"status\":\"Success\"}");
        assertThat(CommandStatus.exited(7, "sh -c exit 7").json()).isEqualTo("{\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"command terminated with non-zero exit code: command 'sh -c exit 7' exited with 7\","
                + "\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"7\"}]}}");
        assertThat(CommandStatus.error("no \"such\" file").json()).isEqualTo("{\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"no \\\"such\\\" file\",\"reason\":\"InternalError\"}");
    }

    @Test
    void resizeObjectsMaySpanMessages() {
        TerminalSize terminal = new TerminalSize();
        assertThat(terminal.feed("{\"Width\":80,".getBytes())).isEmpty();
        assertThat(terminal.feed("\"Height\":24}{\"Width\":100,\"Height\":50}".getBytes()))
                .containsExactly(new TerminalSize.Size(80, 24), new TerminalSize.Size(100, 50));
    }

    /** A process that prints "out", then waits for the test before it exits with 3. */
    private static final class FakeProcess implements StreamSession {
        final ByteArrayOutputStream stdin = new ByteArrayOutputStream();
        final CountDownLatch stdinClosed = new CountDownLatch(1);
        final CountDownLatch exit = new CountDownLatch(1);
        final List<String> sizes = new CopyOnWriteArrayList<>();

        @Override
        public OutputStream stdin() {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    stdin.write(b);
                }

                @Override
                public void close() {
                    stdinClosed.countDown();
                }
            };
        }

        @Override
        public InputStream stdout() {
            return new ByteArrayInputStream("out".getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public InputStream stderr() {
            return new ByteArrayInputStream(new byte[0]);
        }

        @Override
        public void resize(int width, int height) {
            sizes.add(width + "x" + height);
        }

        @Override
        public int waitFor() throws InterruptedException {
            exit.await();
            return 3;
        }

        @Override
        public void close() {
        }
    }

    private static byte[] bytes(ByteBuf buf) {
        return ByteBufUtil.getBytes(buf);
    }

    @Test
    void webSocketChannelsCarryStdinResizeCloseOutputAndStatus() throws Exception {
        FakeProcess process = new FakeProcess();
        RemoteCommandSession session = new RemoteCommandSession(() -> process, "cmd", true, true, workers);
        EmbeddedChannel channel = new EmbeddedChannel();
        WebSocketCommand handler = new WebSocketCommand(session, channel, false);
        channel.pipeline().addLast(handler);
        session.start(handler);

        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {0, 'h', 'i'})));
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(
                "\u0004{\"Width\":80,\"Height\":24}".getBytes(StandardCharsets.UTF_8))));
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {(byte) 255, 0})));
        await().atMost(Duration.ofSeconds(5)).until(() -> process.stdinClosed.getCount() == 0);
        assertThat(process.stdin.toString(StandardCharsets.UTF_8)).isEqualTo("hi");
        await().atMost(Duration.ofSeconds(5)).until(() -> process.sizes.equals(List.of("80x24")));
        process.exit.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> channel.outboundMessages().size() >= 3);
        BinaryWebSocketFrame stdout = channel.readOutbound();
        assertThat(bytes(stdout.content())).isEqualTo(new byte[] {1, 'o', 'u', 't'});
        BinaryWebSocketFrame status = channel.readOutbound();
        assertThat(status.content().readByte()).isEqualTo((byte) 3);
        assertThat(status.content().toString(StandardCharsets.UTF_8)).contains("\"reason\":\"NonZeroExitCode\"")
                .contains("{\"reason\":\"ExitCode\",\"message\":\"3\"}");
        assertThat((Object) channel.readOutbound()).isInstanceOf(CloseWebSocketFrame.class);
    }

    @Test
    void base64VariantUsesTextMessagesWithADigitChannel() throws Exception {
        FakeProcess process = new FakeProcess();
        RemoteCommandSession session = new RemoteCommandSession(() -> process, "cmd", true, true, workers);
        EmbeddedChannel channel = new EmbeddedChannel();
        WebSocketCommand handler = new WebSocketCommand(session, channel, true);
        channel.pipeline().addLast(handler);
        session.start(handler);
        channel.writeInbound(new io.netty.handler.codec.http.websocketx.TextWebSocketFrame("0aGk="));
        await().atMost(Duration.ofSeconds(5)).until(() -> process.stdin.size() == 2);
        assertThat(process.stdin.toString(StandardCharsets.UTF_8)).isEqualTo("hi");
        process.exit.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> channel.outboundMessages().size() >= 1);
        io.netty.handler.codec.http.websocketx.TextWebSocketFrame stdout = channel.readOutbound();
        assertThat(stdout.text()).isEqualTo("1b3V0");
    }

    /** What the client side of a SPDY connection (spdystream in kubectl) would put on the wire. */
    private static ByteBuf clientFrames(Object... frames) {
        EmbeddedChannel client = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
        for (Object frame : frames) {
            client.writeOutbound(frame);
        }
        ByteBuf all = Unpooled.buffer();
        ByteBuf next;
        while ((next = client.readOutbound()) != null) {
            all.writeBytes(next);
            next.release();
        }
        return all;
    }

    private static DefaultSpdySynStreamFrame syn(int id, String type) {
        DefaultSpdySynStreamFrame frame = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
        frame.headers().set("streamtype", type);
        return frame;
    }

    /** Records what the connection reports. */
    private static final class Recorder implements SpdyConnection.Listener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void stream(int id, SpdyHeaders headers) {
            events.add("stream " + id + " " + headers.getAsString("streamtype"));
        }

        @Override
        public void data(int id, byte[] data) {
            events.add("data " + id + " " + new String(data, StandardCharsets.UTF_8));
        }

        @Override
        public void finished(int id) {
            events.add("fin " + id);
        }

        @Override
        public void reset(int id) {
            events.add("reset " + id);
        }

        @Override
        public void closed() {
            events.add("closed");
        }
    }

    @Test
    void spdyStreamsAreRepliedToWithAHeaderBlockAndReportData() {
        EmbeddedChannel server = new EmbeddedChannel();
        SpdyConnection connection = new SpdyConnection(server);
        Recorder recorder = new Recorder();
        connection.listener(recorder);
        server.pipeline().addLast(new SpdyFrameCodec(SpdyVersion.SPDY_3_1), connection);

        DefaultSpdyDataFrame stdin = new DefaultSpdyDataFrame(3, Unpooled.copiedBuffer("abc", StandardCharsets.UTF_8));
        stdin.setLast(true);
        server.writeInbound(clientFrames(syn(1, "error"), syn(3, "stdin"), stdin));
        assertThat(recorder.events).containsExactly("stream 1 error", "stream 3 stdin", "data 3 abc", "fin 3");

        // Decoded as the client would: each reply carries a (non-empty, zlib) header block that Go's framer reads.
        EmbeddedChannel client = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
        ByteBuf out;
        while ((out = server.readOutbound()) != null) {
            assertThat(out.readableBytes()).isGreaterThan(12);
            client.writeInbound(out);
        }
        SpdySynReplyFrame first = client.readInbound();
        SpdySynReplyFrame second = client.readInbound();
        assertThat(first.streamId()).isEqualTo(1);
        assertThat(second.streamId()).isEqualTo(3);
        assertThat(second.headers().getAsString("streamtype")).isEqualTo("stdin");
    }

    @Test
    void spdyInsideWebSocketUnwrapsAndWrapsBinaryMessages() {
        EmbeddedChannel server = new EmbeddedChannel();
        SpdyConnection connection = new SpdyConnection(server);
        Recorder recorder = new Recorder();
        connection.listener(recorder);
        server.pipeline().addLast(new WebSocketSpdyBridge(), new SpdyFrameCodec(SpdyVersion.SPDY_3_1), connection);

        ByteBuf frames = clientFrames(syn(1, "data"));
        // Message boundaries mean nothing: split the frame over two messages.
        server.writeInbound(new BinaryWebSocketFrame(frames.readRetainedSlice(5)));
        server.writeInbound(new BinaryWebSocketFrame(frames));
        assertThat(recorder.events).containsExactly("stream 1 data");
        Object reply = server.readOutbound();
        assertThat(reply).isInstanceOf(BinaryWebSocketFrame.class);
    }
}

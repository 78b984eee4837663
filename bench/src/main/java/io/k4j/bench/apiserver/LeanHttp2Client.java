package io.k4j.bench.apiserver;

import io.k4j.bench.Latencies;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;

/**
 * Many watches as streams of one HTTP/2 connection, read by a single Netty event loop, and creates sent on the same
 * connection: a lean client, so that the watch benchmark measures the server rather than a heavyweight client
 * sharing its cores. Each line that is an ADDED
 * event carrying a {@code sent} annotation (a {@link System#nanoTime()} value taken just before the create, in this
 * process) adds one latency sample. Only for loopback servers under test.
 */
final class LeanHttp2Client implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Latencies latencies = new Latencies(); // touched only on the event loop, read after close
    private final CountDownLatch opened;
    private final AtomicInteger delivered = new AtomicInteger();
    private final AtomicInteger failedStreams = new AtomicInteger();
    private final AtomicInteger failedCreates = new AtomicInteger();
    private final Set<Integer> createStreams = new HashSet<>(); // touched only on the event loop
    private final Channel channel;
    private final Http2ConnectionHandler http2;
    private final Target target;
    private final URI uri;

    private LeanHttp2Client(Target target, String path, int count) throws Exception {
        this.target = target;
        this.uri = URI.create(target.url());
        this.opened = new CountDownLatch(count);
        SslContext tls = new JdkSslContext(target.tls(), true, null, IdentityCipherSuiteFilter.INSTANCE,
                new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2),
                ClientAuth.NONE, null, false);
        this.http2 = new Http2ConnectionHandlerBuilder().server(false).gracefulShutdownTimeoutMillis(0)
                .frameListener(new StreamReader())
                .initialSettings(Http2Settings.defaultSettings().initialWindowSize(1 << 20)).build();
        this.channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc(), uri.getHost(), uri.getPort()), http2);
                    }
                }).connect(uri.getHost(), uri.getPort()).sync().channel();
        channel.eventLoop().submit(() -> {
            ChannelHandlerContext ctx = channel.pipeline().context(http2);
            // A connection window as large as the streams' together, so that one event to every watcher fits in it.
            http2.decoder().flowController().incrementWindowSize(http2.connection().connectionStream(), 1 << 26);
            for (int i = 0; i < count; i++) {
                http2.encoder().writeHeaders(ctx, http2.connection().local().incrementAndGetNextStreamId(),
                        headers("GET", path), 0, true, ctx.newPromise());
            }
            channel.flush();
            return null;
        }).sync();
    }

    private Http2Headers headers(String method, String path) {
        Http2Headers headers = new DefaultHttp2Headers().method(method).scheme("https")
                .authority(uri.getHost() + ":" + uri.getPort()).path(path);
        if (target.token() != null) {
            headers.set("authorization", "Bearer " + target.token());
        }
        return headers;
    }

    /**
     * POSTs a JSON object on a new stream of this connection without waiting for the answer. The body is made on the
     * event loop right before it is written, from {@link System#nanoTime()} then, so that a latency measured from
     * that value includes no client-side queueing.
     */
    void create(String path, LongFunction<String> body) {
        channel.eventLoop().execute(() -> {
            ChannelHandlerContext ctx = channel.pipeline().context(http2);
            int streamId = http2.connection().local().incrementAndGetNextStreamId();
            createStreams.add(streamId);
            byte[] json = body.apply(System.nanoTime()).getBytes(StandardCharsets.UTF_8);
            http2.encoder().writeHeaders(ctx, streamId, headers("POST", path).set("content-type", "application/json")
                            .setInt("content-length", json.length),
                    0, false, ctx.newPromise());
            http2.encoder().writeData(ctx, streamId, Unpooled.wrappedBuffer(json), 0, true, ctx.newPromise());
            channel.flush(); // through the HTTP/2 handler, which writes what flow control held back
        });
    }

    /** How many creates were answered with anything but 201 Created. */
    int failedCreates() {
        return failedCreates.get();
    }

    /** Opens {@code count} watches of {@code path} (a watch URL) on one connection. */
    static LeanHttp2Client open(Target target, String path, int count) throws Exception {
        return new LeanHttp2Client(target, path, count);
    }

    /** Waits until every watch has its response headers; false if one was refused or the time ran out. */
    boolean awaitOpen(Duration limit) throws InterruptedException {
        return opened.await(limit.toMillis(), TimeUnit.MILLISECONDS) && failedStreams.get() == 0;
    }

    /** Waits until {@code expected} events have arrived in all; false once none arrived for {@code quiet}. */
    boolean awaitDeliveries(long expected, Duration quiet) throws InterruptedException {
        int last = delivered.get();
        long lastProgress = System.nanoTime();
        while (last < expected) {
            Thread.sleep(10);
            int now = delivered.get();
            if (now != last) {
                last = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > quiet.toNanos()) {
                return false;
            }
        }
        return true;
    }

    /** Forgets the samples and deliveries so far; call once deliveries are complete. */
    void resetLatencies() throws Exception {
        channel.eventLoop().submit(() -> {
            latencies.clear();
            delivered.set(0);
        }).get();
    }

    /** The samples so far; call after {@link #close()} or once deliveries are complete. */
    Latencies latencies() throws Exception {
        return channel.eventLoop().submit(() -> {
            Latencies copy = new Latencies();
            copy.addAll(latencies);
            return copy;
        }).get();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Splits each stream's DATA into lines; the codec returns flow-control credit for every byte read. */
    private final class StreamReader extends Http2EventAdapter {

        private static final byte[] SENT = "\"sent\":\"".getBytes(StandardCharsets.UTF_8);
        private static final byte[] ADDED = "\"type\":\"ADDED\"".getBytes(StandardCharsets.UTF_8);
        private final Map<Integer, LineBuffer> partialLines = new HashMap<>();

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                                  boolean endOfStream) {
            if (createStreams.remove(streamId)) {
                if (!"201".contentEquals(headers.status())) {
                    failedCreates.incrementAndGet();
                }
                return;
            }
            if (!"200".contentEquals(headers.status()) || endOfStream) {
                failedStreams.incrementAndGet();
            }
            opened.countDown();
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                                  short weight, boolean exclusive, int padding, boolean endOfStream) {
            onHeadersRead(ctx, streamId, headers, padding, endOfStream);
        }

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
                              boolean endOfStream) {
            int bytes = data.readableBytes() + padding;
            read(streamId, data, System.nanoTime());
            return bytes;
        }

        private void read(int streamId, ByteBuf content, long now) {
            LineBuffer line = partialLines.computeIfAbsent(streamId, id -> new LineBuffer());
            while (content.isReadable()) {
                int newline = content.indexOf(content.readerIndex(), content.writerIndex(), (byte) '\n');
                int end = newline < 0 ? content.writerIndex() : newline;
                line.append(content, end - content.readerIndex());
                if (newline < 0) {
                    return;
                }
                content.skipBytes(1);
                lineRead(line.bytes, line.length, now);
                line.length = 0;
            }
        }

        private void lineRead(byte[] bytes, int length, long now) {
            int sent = indexOf(bytes, length, SENT);
            if (sent >= 0 && indexOf(bytes, length, ADDED) >= 0) {
                int from = sent + SENT.length;
                int to = from;
                while (to < length && bytes[to] != '"') {
                    to++;
                }
                latencies.add(now - Long.parseLong(new String(bytes, from, to - from, StandardCharsets.US_ASCII)));
                delivered.incrementAndGet();
            }
        }

        private static int indexOf(byte[] haystack, int length, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    /** The part of a stream's current line read so far. */
    private static final class LineBuffer {
        byte[] bytes = new byte[4096];
        int length;

        void append(ByteBuf from, int count) {
            if (length + count > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
            }
            from.readBytes(bytes, length, count);
            length += count;
        }
    }
}

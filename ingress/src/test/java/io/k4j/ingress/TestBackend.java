package io.k4j.ingress;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend on 127.0.0.1 for the ingress tests: answers with its name, the request line, its headers and the body
 * length; "/slow?ms=N" answers after N ms; "/ws" is a WebSocket echo; "/flaky..." closes a connection that has already
 * answered instead of answering again; "/big?bytes=N" answers N zero bytes; "/chunked" answers
 * "one,two,three" in chunks.
 */
public final class TestBackend implements AutoCloseable {

    private final String name;
    private final EventLoopGroup group;
    private final Channel channel;
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch slowStarted = new CountDownLatch(1);

    private TestBackend(String name) throws InterruptedException {
        this.name = name;
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel child) {
                        child.pipeline().addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(64 * 1024 * 1024))
                                .addLast(new WebSocketServerProtocolHandler("/ws"))
                                .addLast(new Echo())
                                .addLast(new Answer());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    public static TestBackend start(String name) throws InterruptedException {
        return new TestBackend(name);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public int requests() {
        return requests.get();
    }

    public boolean awaitSlowRequest(long seconds) throws InterruptedException {
        return slowStarted.await(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Parses an answer body back into its lines: "backend", "request", header names (lower case), "body-length". */
    public static Map<String, String> parse(String body) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (String line : body.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        return fields;
    }

    private final class Echo extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            ctx.writeAndFlush(new TextWebSocketFrame(name + ": " + frame.text()));
        }
    }

    private final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
        private int answeredOnThisConnection;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (request.uri().startsWith("/flaky") && answeredOnThisConnection > 0) {
                // As a backend closing a kept-alive connection as idle just when the proxy reuses it.
                ctx.close();
                return;
            }
            answeredOnThisConnection++;
            requests.incrementAndGet();
            StringBuilder body = new StringBuilder("backend: " + name + "\nrequest: " + request.method() + " "
                    + request.uri() + "\n");
            request.headers().forEach(header -> body.append(header.getKey().toLowerCase(Locale.ROOT)).append(": ")
                    .append(header.getValue()).append('\n'));
            body.append("body-length: ").append(request.content().readableBytes()).append('\n');
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            var slow = new QueryStringDecoder(request.uri());
            if (slow.path().equals("/chunked")) {
                // Three chunks, as a backend streaming an answer of unknown length.
                DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                HttpUtil.setTransferEncodingChunked(head, true);
                ctx.write(head);
                for (String part : new String[] {"one,", "two,", "three"}) {
                    ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer(part, StandardCharsets.US_ASCII)));
                }
                response.release();
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                if (!keepAlive) {
                    ctx.close();
                }
            } else if (slow.path().endsWith("/big")) {
                int size = Integer.parseInt(slow.parameters().get("bytes").getFirst());
                FullHttpResponse big = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(new byte[size]));
                big.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, size);
                response.release();
                send(ctx, big, keepAlive);
            } else if (slow.path().equals("/slow")) {
                slowStarted.countDown();
                long ms = Long.parseLong(slow.parameters().get("ms").getFirst());
                ctx.executor().schedule(() -> send(ctx, response, keepAlive), ms, TimeUnit.MILLISECONDS);
            } else {
                send(ctx, response, keepAlive);
            }
        }

        private void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
            var future = ctx.writeAndFlush(response);
            if (!keepAlive) {
                future.addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            }
        }
    }
}

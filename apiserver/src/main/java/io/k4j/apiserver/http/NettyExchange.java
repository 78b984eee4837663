package io.k4j.apiserver.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The bridge between Netty and {@link RequestHandler}: one {@link Exchange} per request. */
final class NettyExchange implements Exchange {

    private static final Logger LOG = LoggerFactory.getLogger(NettyExchange.class);
    private static final int MAX_WEBSOCKET_FRAME = 1024 * 1024;

    private final Channel channel;
    private final FullHttpRequest request;
    private final boolean keepAlive;
    private final boolean http2;
    private final AtomicBoolean answered = new AtomicBoolean();

    private NettyExchange(Channel channel, FullHttpRequest request, boolean http2) {
        this.channel = channel;
        this.request = request;
        this.http2 = http2;
        this.keepAlive = HttpUtil.isKeepAlive(request);
    }

    @Override
    public void send(int status, String contentType, byte[] body, Map<String, String> headers) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        headers.forEach((name, value) -> response.headers().set(name, value));
        if (!http2 && keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        var future = channel.writeAndFlush(response);
        if (!http2 && !keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public Stream stream(int status, String contentType) {
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("already answered");
        }
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, private");
        if (!http2) {
            HttpUtil.setTransferEncodingChunked(response, true);
        }
        channel.writeAndFlush(response);
        return new ChannelStream(channel, false);
    }

    @Override
    public Stream upgradeToWebSocket(String subprotocol) {
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("already answered");
        }
        String url = "wss://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, subprotocol, true,
                MAX_WEBSOCKET_FRAME).newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel);
            throw new IllegalStateException("unsupported WebSocket version");
        }
        channel.pipeline().remove("exchange");
        channel.pipeline().addLast("websocket", new WebSocketControlHandler());
        handshaker.handshake(channel, request).syncUninterruptibly();
        return new ChannelStream(channel, true);
    }

    @Override
    public Optional<Channel> takeOverConnection() {
        if (http2 || !answered.compareAndSet(false, true)) {
            return Optional.empty();
        }
        // The client sends nothing before it sees the 101, so no byte is left behind in the HTTP decoder.
        channel.eventLoop().submit(() -> {
            channel.config().setAutoRead(false);
            for (String name : new String[] {"exchange", "aggregate", "http"}) {
                if (channel.pipeline().get(name) != null) {
                    channel.pipeline().remove(name);
                }
            }
        }).syncUninterruptibly();
        return Optional.of(channel);
    }

    /** A response in progress: chunks on HTTP, text frames on a WebSocket. */
    private static final class ChannelStream implements Stream {
        private final Channel channel;
        private final boolean webSocket;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final WritabilitySignal writability;

        ChannelStream(Channel channel, boolean webSocket) {
            this.channel = channel;
            this.webSocket = webSocket;
            this.writability = new WritabilitySignal(channel, closed);
            channel.pipeline().addLast(writability);
        }

        @Override
        public void write(byte[]... message) {
            if (closed.get()) {
                return;
            }
            Object frame = webSocket ? new TextWebSocketFrame(Unpooled.wrappedBuffer(message))
                    : new DefaultHttpContent(Unpooled.wrappedBuffer(message));
            channel.writeAndFlush(frame);
        }

        @Override
        public boolean writable() {
            return channel.isWritable();
        }

        @Override
        public boolean awaitWritable(Duration limit) throws InterruptedException {
            return writability.await(limit);
        }

        @Override
        public boolean isOpen() {
            return !closed.get() && channel.isActive();
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            writability.signal();
            // A kept-alive HTTP/1.1 connection outlives the stream; it must not keep one signal per stream.
            channel.eventLoop().execute(() -> {
                if (channel.pipeline().context(writability) != null) {
                    channel.pipeline().remove(writability);
                }
            });
            if (webSocket) {
                channel.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
            } else {
                channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            }
        }

        @Override
        public Runnable onClose(Runnable action) {
            io.netty.util.concurrent.GenericFutureListener<io.netty.util.concurrent.Future<? super Void>> listener =
                    future -> action.run();
            channel.closeFuture().addListener(listener);
            return () -> channel.closeFuture().removeListener(listener);
        }
    }

    /**
     * Wakes a stream's writer when its channel (a socket, or an HTTP/2 stream) can take more again, or goes away;
     * writers wait here instead of polling.
     */
    private static final class WritabilitySignal extends ChannelInboundHandlerAdapter {
        private final Channel channel;
        private final AtomicBoolean streamClosed;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();

        WritabilitySignal(Channel channel, AtomicBoolean streamClosed) {
            this.channel = channel;
            this.streamClosed = streamClosed;
        }

        boolean await(Duration limit) throws InterruptedException {
            if (channel.isWritable()) {
                return true;
            }
            long left = limit.toNanos();
            lock.lock();
            try {
                while (!channel.isWritable()) {
                    if (!channel.isActive() || streamClosed.get() || left <= 0) {
                        return false;
                    }
                    left = changed.awaitNanos(left);
                }
                return true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            signal();
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            signal();
            ctx.fireChannelInactive();
        }

        private void signal() {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** After a WebSocket upgrade: answers pings, and closes when the client does. */
    private static final class WebSocketControlHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof CloseWebSocketFrame) {
                ctx.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
            } else if (frame instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            }
        }
    }

    /** Turns each aggregated request into an {@link ApiRequest} and runs the handler on a virtual thread. */
    static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final RequestHandler handler;
        private final ExecutorService requests;
        private final boolean http2;

        Handler(RequestHandler handler, ExecutorService requests, boolean http2) {
            super(false);
            this.handler = handler;
            this.requests = requests;
            this.http2 = http2;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            NettyExchange exchange = new NettyExchange(ctx.channel(), request, http2);
            ApiRequest apiRequest = toApiRequest(ctx, request);
            try {
                requests.execute(() -> {
                    try {
                        handler.handle(apiRequest, exchange);
                    } catch (RuntimeException e) {
                        LOG.error("request {} {} failed", apiRequest.method(), apiRequest.path(), e);
                        exchange.send(500, "application/json", ("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                                + "\"metadata\":{},\"status\":\"Failure\",\"message\":\"internal error\","
                                + "\"reason\":\"InternalError\",\"code\":500}").getBytes(), Map.of());
                    } finally {
                        request.release();
                    }
                });
            } catch (RejectedExecutionException e) {
                request.release();
                ctx.close();
            }
        }

        private ApiRequest toApiRequest(ChannelHandlerContext ctx, FullHttpRequest request) {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            Map<String, String> headers = new HashMap<>();
            request.headers().forEach(entry -> headers.merge(entry.getKey().toLowerCase(Locale.ROOT), entry.getValue(),
                    (first, second) -> first + "," + second));
            byte[] body = new byte[request.content().readableBytes()];
            request.content().getBytes(request.content().readerIndex(), body);
            boolean upgrade = !http2 && "websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE));
            return new ApiRequest(request.method().name(), uri.path(), uri.parameters(), headers, body,
                    peerCertificates(ctx.channel()), null, upgrade);
        }

        private static List<X509Certificate> peerCertificates(Channel channel) {
            // An HTTP/2 stream's parent is its connection; an HTTP/1.1 connection's parent is the listener.
            Channel connection = channel instanceof io.netty.handler.codec.http2.Http2StreamChannel ? channel.parent() : channel;
            SslHandler ssl = connection.pipeline().get(SslHandler.class);
            if (ssl == null) {
                return List.of();
            }
            try {
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate certificate : ssl.engine().getSession().getPeerCertificates()) {
                    chain.add((X509Certificate) certificate);
                }
                return chain;
            } catch (SSLPeerUnverifiedException noClientCertificate) {
                return List.of();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("connection error: {}", cause.toString());
            ctx.close();
        }
    }
}

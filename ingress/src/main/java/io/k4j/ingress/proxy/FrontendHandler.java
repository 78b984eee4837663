package io.k4j.ingress.proxy;

import io.k4j.ingress.routing.RouteMatch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proxies the requests of one client connection (HTTP/1.1) or one stream (HTTP/2) to backends, one exchange at a
 * time. Bodies stream in both directions with back-pressure (a side stops reading while the other cannot take
 * more). The route is chosen when the request head arrives, from the serving state of that moment, so a new
 * routing table never touches an exchange in flight. A connection failure moves on to the next endpoint; a 101
 * answer to an Upgrade request turns the exchange into a byte relay (WebSocket).
 *
 * <p>Runs only on its channel's event loop; backend connections come from the same loop, so there is no locking.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(FrontendHandler.class);

    private enum State { IDLE, CONNECTING, PROXYING, DISCARDING, UPGRADED }

    private static final int MAX_HELD = 16;

    private final Supplier<ServingState> serving;
    private final BackendPool pool;
    private final Balancer balancer;
    private final String scheme;
    private final boolean http2;
    private final ArrayDeque<Object> pending = new ArrayDeque<>();

    private ChannelHandlerContext ctx;
    private State state = State.IDLE;
    private Channel backend;
    private BackendHandler backendHandler;
    private HttpRequest request;
    private List<InetSocketAddress> candidates;
    private int attempt;
    private boolean requestDone;
    private boolean responseStarted;
    private boolean responseDone;
    private boolean clientKeepAlive;
    /** An HTTP/1.0 client: no chunked bodies, keep-alive only when it asked for it. */
    private boolean clientHttp10;
    private boolean backendKeepAlive;
    private boolean upgrade;
    /** Whether the request may be sent again if a reused connection closes before answering (no body, idempotent). */
    private boolean replayable;
    /** The head kept for that second try, while the first one has not been answered. */
    private HttpRequest replay;
    private InetSocketAddress endpoint;
    /** Set while the request head is being sent a second time (its empty end was consumed by the first try). */
    private boolean resend;
    /** The client connection's address and our port, for X-Forwarded-*: found on the first request. */
    private String clientIp;
    private String localPort;

    FrontendHandler(Supplier<ServingState> serving, BackendPool pool, Balancer balancer, String scheme,
                    boolean http2) {
        this.serving = serving;
        this.pool = pool;
        this.balancer = balancer;
        this.scheme = scheme;
        this.http2 = http2;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (state) {
            case IDLE -> {
                if (msg instanceof HttpRequest head) {
                    start(head);
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }
            case CONNECTING -> hold(msg);
            case PROXYING -> {
                if (requestDone) {
                    hold(msg);
                } else {
                    forwardBody(msg);
                }
            }
            case DISCARDING -> {
                if (requestDone) {
                    hold(msg);
                } else {
                    discardBody(msg);
                }
            }
            case UPGRADED -> relay(msg, backend, ctx.channel());
        }
    }

    /**
     * Keeps a message until the exchange can take it (the body while connecting, a pipelined next request). Reading
     * stops only when much is held: toggling reading costs system calls on every request.
     */
    private void hold(Object msg) {
        pending.add(msg);
        if (pending.size() > MAX_HELD) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void start(HttpRequest head) {
        request = head;
        requestDone = head instanceof LastHttpContent;
        responseStarted = false;
        responseDone = false;
        backendKeepAlive = false;
        clientKeepAlive = http2 || HttpUtil.isKeepAlive(head);
        clientHttp10 = !http2 && head.protocolVersion().equals(HttpVersion.HTTP_1_0);
        if (head.decoderResult().isFailure()) {
            clientKeepAlive = false;
            respondLocally(ErrorPages.badRequest());
            return;
        }
        String authority = head.headers().get(HttpHeaderNames.HOST);
        RouteMatch match = serving.get().route(authority, head.uri());
        if (!(match instanceof RouteMatch.Found found)) {
            respondLocally(ErrorPages.notFound());
            return;
        }
        if (!found.backend().hasEndpoints()) {
            respondLocally(ErrorPages.noEndpoints());
            return;
        }
        prepareForBackend(head, authority);
        replayable = !upgrade && isIdempotent(head.method()) && hasNoBody(head);
        resend = false;
        state = State.CONNECTING;
        if (upgrade) {
            // Nothing may be read as HTTP after an Upgrade request until the backend has answered it.
            ctx.channel().config().setAutoRead(false);
        }
        candidates = balancer.order(found.backend());
        attempt = 0;
        connectNext();
    }

    private void prepareForBackend(HttpRequest head, String authority) {
        HttpHeaders headers = head.headers();
        upgrade = !http2 && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && headers.contains(HttpHeaderNames.UPGRADE);
        String upgradeTo = headers.get(HttpHeaderNames.UPGRADE);
        ForwardedHeaders.removeHopByHop(headers, http2);
        if (upgrade) {
            ForwardedHeaders.keepUpgrade(headers, upgradeTo);
        }
        if (clientIp == null) {
            Channel connection = http2 ? ctx.channel().parent() : ctx.channel();
            clientIp = ForwardedHeaders.clientIp(connection.remoteAddress());
            localPort = Integer.toString(((InetSocketAddress) connection.localAddress()).getPort());
        }
        ForwardedHeaders.addForwarded(headers, clientIp, scheme, authority, localPort);
        head.setProtocolVersion(HttpVersion.HTTP_1_1);
        boolean framed = HttpUtil.isContentLengthSet(head) || HttpUtil.isTransferEncodingChunked(head);
        if (!framed && head instanceof FullHttpRequest full) {
            // HTTP/2 frames its bodies itself: HTTP/1.1 needs a length.
            if (full.content().isReadable() || bodyExpected(head.method())) {
                HttpUtil.setContentLength(head, full.content().readableBytes());
            }
        } else if (!framed && http2) {
            HttpUtil.setTransferEncodingChunked(head, true);
        }
    }

    private static boolean isIdempotent(HttpMethod method) {
        return method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD) || method.equals(HttpMethod.OPTIONS)
                || method.equals(HttpMethod.DELETE) || method.equals(HttpMethod.PUT);
    }

    private static boolean hasNoBody(HttpRequest head) {
        if (head instanceof FullHttpRequest full) {
            return !full.content().isReadable();
        }
        return !HttpUtil.isTransferEncodingChunked(head) && HttpUtil.getContentLength(head, 0L) == 0;
    }

    private static boolean bodyExpected(HttpMethod method) {
        return method.equals(HttpMethod.POST) || method.equals(HttpMethod.PUT) || method.equals(HttpMethod.PATCH);
    }

    private void connectNext() {
        if (attempt >= candidates.size()) {
            ReferenceCountUtil.release(request);
            request = null;
            respondLocally(ErrorPages.badGateway());
            return;
        }
        endpoint = candidates.get(attempt++);
        connectTo(pool.acquire(ctx.channel().eventLoop(), endpoint));
    }

    private void connectTo(io.netty.util.concurrent.Future<Channel> connection) {
        InetSocketAddress endpoint = this.endpoint;
        if (!connection.isDone()) {
            ctx.channel().config().setAutoRead(false);
        }
        connection.addListener(done -> {
            if (!ctx.channel().isActive()) {
                if (done.isSuccess()) {
                    ((Channel) done.getNow()).close();
                }
                return;
            }
            if (done.isSuccess()) {
                attach((Channel) done.getNow());
            } else {
                LOG.debug("endpoint {} refused a connection ({}), trying the next", endpoint,
                        done.cause().toString());
                connectNext();
            }
        });
    }

    private void attach(Channel connection) {
        backend = connection;
        backendHandler = connection.pipeline().get(BackendHandler.class);
        backendHandler.attach(this);
        state = State.PROXYING;
        boolean again = resend;
        resend = false;
        replay = replayable && backendHandler.reused() ? (HttpRequest) ReferenceCountUtil.retain(request) : null;
        backend.write(request).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        if (again && !(request instanceof LastHttpContent)) {
            backend.write(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        request = null;
        while (!requestDone && !pending.isEmpty() && !(pending.peek() instanceof HttpRequest)) {
            Object body = pending.poll();
            requestDone = body instanceof LastHttpContent;
            backend.write(body).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
        backend.flush();
        ctx.channel().config().setAutoRead(!upgrade && backend.isWritable());
    }

    private void forwardBody(Object msg) {
        requestDone = msg instanceof LastHttpContent;
        if (requestDone) {
            backend.writeAndFlush(msg).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            finishIfDone();
            return;
        }
        // Flushed when this read ends (channelReadComplete), so one read's chunks go out in one write.
        backend.write(msg).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        if (!backend.isWritable()) {
            // Stop reading before flushing: the flush may make the backend writable again, and that event reopens.
            ctx.channel().config().setAutoRead(false);
            backend.flush();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (backend != null && (state == State.PROXYING || state == State.UPGRADED)) {
            backend.flush();
        }
        ctx.fireChannelReadComplete();
    }

    /** The backend's read ended: what it gave is sent to the client in one write. */
    void backendReadComplete() {
        ctx.flush();
    }

    private void discardBody(Object msg) {
        requestDone = msg instanceof LastHttpContent;
        ReferenceCountUtil.release(msg);
        finishIfDone();
    }

    /** What the backend sends, in order: the response head, its body, or raw bytes once upgraded. */
    void fromBackend(Object msg) {
        if (state == State.UPGRADED) {
            relay(msg, ctx.channel(), backend);
            return;
        }
        if (state != State.PROXYING || responseDone) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            int code = response.status().code();
            if (code == 101 && upgrade) {
                switchToRelay(response);
                return;
            }
            if (code >= 100 && code < 200) {
                // Interim answers are not passed on: Expect: 100-continue is answered by the ingress itself.
                ReferenceCountUtil.release(msg);
                return;
            }
            responseStarted = true;
            dropReplay();
            backendKeepAlive = HttpUtil.isKeepAlive(response);
            ForwardedHeaders.removeHopByHop(response.headers(), false);
            if (clientHttp10 && HttpUtil.isTransferEncodingChunked(response)) {
                // HTTP/1.0 has no chunks: the body goes as it is and its end is the connection's.
                HttpUtil.setTransferEncodingChunked(response, false);
                clientKeepAlive = false;
            }
            if (!clientKeepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            } else if (clientHttp10) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        } else if (!responseStarted) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof LastHttpContent) {
            responseDone = true;
            ctx.writeAndFlush(msg);
            finishIfDone();
        } else {
            ctx.write(msg);
            if (!ctx.channel().isWritable()) {
                backend.config().setAutoRead(false);
                ctx.flush();
            }
        }
    }

    private void switchToRelay(HttpResponse response) {
        state = State.UPGRADED;
        ctx.writeAndFlush(response);
        ctx.pipeline().remove(HttpPipelines.HTTP_CODEC);
        ctx.pipeline().remove(HttpPipelines.EXPECT_CONTINUE);
        backend.pipeline().remove(HttpPipelines.HTTP_CODEC);
        ctx.channel().config().setAutoRead(true);
        backend.config().setAutoRead(true);
    }

    /** Passes raw bytes across an upgraded exchange; the HTTP leftovers of the switch are dropped. */
    private static void relay(Object msg, Channel to, Channel from) {
        if (!(msg instanceof ByteBuf bytes)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        to.write(bytes).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        if (!to.isWritable()) {
            from.config().setAutoRead(false);
            to.flush();
        }
    }

    private void respondLocally(FullHttpResponse page) {
        while (!requestDone && !pending.isEmpty() && !(pending.peek() instanceof HttpRequest)) {
            Object body = pending.poll();
            requestDone = body instanceof LastHttpContent;
            ReferenceCountUtil.release(body);
        }
        if (!http2 && !clientKeepAlive) {
            page.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        responseStarted = true;
        responseDone = true;
        backendKeepAlive = false;
        state = State.DISCARDING;
        ctx.writeAndFlush(page);
        if (requestDone) {
            finishIfDone();
        } else {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void dropReplay() {
        if (replay != null) {
            ReferenceCountUtil.release(replay);
            replay = null;
        }
    }

    /** Ends the exchange once both the request and the response are complete. */
    private void finishIfDone() {
        if (!requestDone || !responseDone) {
            return;
        }
        if (backend != null) {
            backendHandler.detach();
            if (backendKeepAlive && state == State.PROXYING) {
                pool.release(backend);
            } else {
                backend.close();
            }
            backend = null;
            backendHandler = null;
        }
        state = State.IDLE;
        if (!clientKeepAlive) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.channel().config().setAutoRead(true);
        while (state == State.IDLE && !pending.isEmpty()) {
            channelRead(ctx, pending.poll());
        }
    }

    /** The backend connection closed while this exchange used it. */
    void backendClosed() {
        Channel closed = backend;
        backend = null;
        backendHandler = null;
        if (closed == null) {
            return;
        }
        if (state == State.UPGRADED || (responseStarted && !responseDone)) {
            ctx.close();
        } else if (!responseStarted && replay != null && requestDone) {
            // A kept-alive connection the backend closed as idle just as we used it: once more, on a new one.
            LOG.debug("reused connection to {} closed before answering; sending the request again", endpoint);
            request = replay;
            replay = null;
            resend = true;
            state = State.CONNECTING;
            connectTo(pool.connect(ctx.channel().eventLoop(), endpoint));
        } else if (!responseStarted) {
            dropReplay();
            clientKeepAlive = clientKeepAlive && requestDone;
            respondLocally(ErrorPages.badGateway());
        } else {
            state = State.DISCARDING;
            finishIfDone();
        }
    }

    void backendWritabilityChanged(boolean writable) {
        if (state == State.UPGRADED || (state == State.PROXYING && !requestDone)) {
            ctx.channel().config().setAutoRead(writable);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (backend != null) {
            backend.config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (backend != null) {
            backendHandler.detach();
            backend.close();
            backend = null;
        }
        ReferenceCountUtil.release(request);
        request = null;
        dropReplay();
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof io.netty.handler.timeout.IdleStateEvent) {
            if (state == State.IDLE && pending.isEmpty()) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("client connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}

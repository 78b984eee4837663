package io.k4j.ingress.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive connections to endpoints, one pool per event loop so a connection is only ever used on the loop of the
 * client connection it serves (no locks, no hand-over between threads). Idle connections close after a while.
 */
final class BackendPool {

    static final int MAX_IDLE_PER_ENDPOINT = 512;
    private static final AttributeKey<InetSocketAddress> ENDPOINT = AttributeKey.valueOf("k4j.ingress.endpoint");

    private final Bootstrap bootstrap;
    private final FastThreadLocal<Map<InetSocketAddress, ArrayDeque<Channel>>> idle = new FastThreadLocal<>() {
        @Override
        protected Map<InetSocketAddress, ArrayDeque<Channel>> initialValue() {
            return new HashMap<>();
        }
    };

    BackendPool(Transport transport, Duration connectTimeout, Duration idleTimeout) {
        this.bootstrap = new Bootstrap()
                .channel(transport.clientChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline()
                                // Header names from backends are not validated again: the decoder still splits
                                // them strictly, and validation was a measurable share of the proxy's time.
                                .addLast("http", new HttpClientCodec(new HttpDecoderConfig().setHeadersFactory(
                                        DefaultHttpHeadersFactory.headersFactory().withValidation(false)),
                                        false, false))
                                .addLast("idle", new IdleStateHandler(idleTimeout.toMillis(), 0, 0,
                                        TimeUnit.MILLISECONDS))
                                .addLast("backend", new BackendHandler());
                        channel.closeFuture().addListener(closed -> forget(channel));
                    }
                });
    }

    /** A connection to {@code address}, idle from the pool or new; call on {@code loop}. */
    Future<Channel> acquire(EventLoop loop, InetSocketAddress address) {
        ArrayDeque<Channel> connections = idle.get().get(address);
        while (connections != null && !connections.isEmpty()) {
            Channel channel = connections.pollLast();
            if (channel.isActive()) {
                return loop.newSucceededFuture(channel);
            }
        }
        return connect(loop, address);
    }

    /** A new connection to {@code address}, never one from the pool. */
    Future<Channel> connect(EventLoop loop, InetSocketAddress address) {
        Promise<Channel> promise = loop.newPromise();
        ChannelFuture connect = bootstrap.clone(loop).attr(ENDPOINT, address).connect(address);
        connect.addListener(done -> {
            if (done.isSuccess()) {
                promise.setSuccess(connect.channel());
            } else {
                promise.setFailure(done.cause());
            }
        });
        return promise;
    }

    /** Gives back a connection whose last exchange ended cleanly; call on its loop. */
    void release(Channel channel) {
        if (!channel.isActive()) {
            return;
        }
        InetSocketAddress address = channel.attr(ENDPOINT).get();
        ArrayDeque<Channel> connections = idle.get().computeIfAbsent(address, k -> new ArrayDeque<>());
        if (connections.size() >= MAX_IDLE_PER_ENDPOINT) {
            channel.close();
            return;
        }
        channel.config().setAutoRead(true);
        channel.pipeline().get(BackendHandler.class).markReused();
        connections.addLast(channel);
    }

    /** Drops a closed connection from its pool (runs on its loop, where the pool lives). */
    private void forget(Channel channel) {
        ArrayDeque<Channel> connections = idle.get().get(channel.attr(ENDPOINT).get());
        if (connections != null) {
            connections.remove(channel);
        }
    }
}

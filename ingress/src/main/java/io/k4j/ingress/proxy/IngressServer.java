package io.k4j.ingress.proxy;

import io.k4j.ingress.routing.RoutingTable;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingress's listeners: plain HTTP (HTTP/1.1, or h2c with prior knowledge) and HTTPS (SNI picks the
 * certificate, ALPN picks h2 or HTTP/1.1), proxying by the current {@link ServingState}. {@link #update} swaps the
 * state atomically; exchanges in flight keep the backend they started with.
 *
 * <p>Threads: one acceptor and {@code workerThreads} event loops (Netty, epoll where available); close() stops them.
 */
public final class IngressServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngressServer.class);

    private final AtomicReference<ServingState> state;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final Channel http;
    private final Channel https;
    /** Every listener bound so far: closed by shutdown, also when a later one fails to bind. */
    private final java.util.List<Channel> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private IngressServer(Builder builder) throws InterruptedException {
        this.state = new AtomicReference<>(new ServingState(RoutingTable.EMPTY, Map.of(),
                Objects.requireNonNull(builder.defaultCertificate, "defaultCertificate")));
        Transport transport = Transport.best();
        this.acceptor = transport.newGroup(1);
        this.workers = transport.newGroup(builder.workerThreads);
        HttpPipelines pipelines = new HttpPipelines(state::get,
                new BackendPool(transport, builder.connectTimeout, builder.backendIdleTimeout), new Balancer(),
                builder.clientIdleTimeout);
        Mapping<String, SslContext> certificates = serverName -> state.get().sslContextFor(serverName);
        try {
            this.http = builder.httpPort < 0 ? null : bind(transport, builder, builder.httpPort,
                    new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            channel.pipeline().addLast(new CleartextProtocolDetector(pipelines));
                        }
                    });
            this.https = builder.httpsPort < 0 ? null : bind(transport, builder, builder.httpsPort,
                    new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            channel.pipeline().addLast(new SniHandler(certificates))
                                    .addLast(new TlsProtocolSelector(pipelines));
                        }
                    });
        } catch (InterruptedException | RuntimeException e) {
            shutdown();
            throw e;
        }
        LOG.info("ingress listening on {} (http) and {} (https)", address(http), address(https));
    }

    /** Fails with an UncheckedIOException when the port cannot be had (in use, or below 1024 without root). */
    private Channel bind(Transport transport, Builder builder, int port, ChannelInitializer<Channel> initializer)
            throws InterruptedException {
        ChannelFuture bound = new ServerBootstrap().group(acceptor, workers).channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer)
                .bind(builder.bindAddress, port).await();
        if (!bound.isSuccess()) {
            throw new UncheckedIOException(new IOException("cannot listen on " + builder.bindAddress + ":" + port
                    + ": " + bound.cause().getMessage(), bound.cause()));
        }
        listeners.add(bound.channel());
        return bound.channel();
    }

    private static Object address(Channel channel) {
        return channel == null ? "off" : channel.localAddress();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Serves {@code next} from now on; exchanges already routed are not affected. */
    public void update(ServingState next) {
        state.set(next);
    }

    public ServingState current() {
        return state.get();
    }

    /** The bound HTTP port (useful with port 0), or -1 when off. */
    public int httpPort() {
        return http == null ? -1 : ((InetSocketAddress) http.localAddress()).getPort();
    }

    public int httpsPort() {
        return https == null ? -1 : ((InetSocketAddress) https.localAddress()).getPort();
    }

    @Override
    public void close() {
        shutdown();
    }

    /** Returns once the listeners are closed (their ports free again) and the connections' loops have ended. */
    private void shutdown() {
        // the event loops' shutdown does not close a server channel registered with them
        listeners.forEach(listener -> listener.close().syncUninterruptibly());
        var acceptorDone = acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        acceptorDone.syncUninterruptibly();
    }

    /** Listener configuration; ports below 0 turn a listener off, 0 picks a free port. */
    public static final class Builder {
        private String bindAddress = "0.0.0.0";
        private int httpPort = 80;
        private int httpsPort = 443;
        private int workerThreads = 0;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration backendIdleTimeout = Duration.ofSeconds(60);
        private Duration clientIdleTimeout = Duration.ofSeconds(75);
        private SslContext defaultCertificate;

        public Builder bindAddress(String bindAddress) {
            this.bindAddress = bindAddress;
            return this;
        }

        public Builder httpPort(int httpPort) {
            this.httpPort = httpPort;
            return this;
        }

        public Builder httpsPort(int httpsPort) {
            this.httpsPort = httpsPort;
            return this;
        }

        /** Event loop threads; 0 means Netty's default (twice the processors). */
        public Builder workerThreads(int workerThreads) {
            this.workerThreads = workerThreads;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder backendIdleTimeout(Duration backendIdleTimeout) {
            this.backendIdleTimeout = backendIdleTimeout;
            return this;
        }

        /** How long an HTTP/1.1 client connection may wait between exchanges (75 s, as nginx). */
        public Builder clientIdleTimeout(Duration clientIdleTimeout) {
            this.clientIdleTimeout = clientIdleTimeout;
            return this;
        }

        public Builder defaultCertificate(SslContext defaultCertificate) {
            this.defaultCertificate = defaultCertificate;
            return this;
        }

        public IngressServer start() throws InterruptedException {
            return new IngressServer(this);
        }
    }
}

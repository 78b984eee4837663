package io.k4j.kubelet.server;

import io.k4j.kubelet.logs.ContainerLogReader;
import io.k4j.kubelet.runtime.ContainerRuntime;
import io.k4j.pki.IssuedCertificate;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The kubelet's HTTPS server (upstream port 10250): container logs, exec, attach and port-forward for the API
 * server, which presents a client certificate issued by the cluster CA. HTTP/1.1 only: every streaming protocol
 * here (WebSocket, SPDY/3.1) is an HTTP/1.1 upgrade.
 */
public final class KubeletServer implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel channel;
    private final ExecutorService workers;

    private KubeletServer(EventLoopGroup group, Channel channel, ExecutorService workers) {
        this.group = group;
        this.channel = channel;
        this.workers = workers;
    }

    public static Builder builder() {
        return new Builder();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownNow();
    }

    /** Where to listen, with which certificates, and what to serve. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 10250;
        private SslContext ssl;
        private PodContainers pods;
        private ContainerRuntime runtime;
        private InstantSource clock = InstantSource.system();
        private ContainerLogReader logReader = new ContainerLogReader();

        /** {@code port} 0 picks a free port (see {@link KubeletServer#address()}). */
        public Builder bind(String bindHost, int bindPort) {
            this.host = bindHost;
            this.port = bindPort;
            return this;
        }

        /** A ready context; it must ask for client certificates (the server rejects requests without one). */
        public Builder ssl(SslContext context) {
            this.ssl = context;
            return this;
        }

        /** The kubelet's serving certificate, and the cluster CA that issued the API server's client certificate. */
        public Builder tls(IssuedCertificate serving, X509Certificate clusterCa) throws IOException {
            try {
                this.ssl = SslContextBuilder.forServer(serving.privateKey(), serving.certificate())
                        .sslProvider(SslProvider.JDK)
                        .trustManager(clusterCa)
                        .clientAuth(ClientAuth.OPTIONAL)
                        .build();
            } catch (SSLException e) {
                throw new IOException("cannot set up the kubelet's TLS: " + e.getMessage(), e);
            }
            return this;
        }

        public Builder pods(PodContainers podContainers) {
            this.pods = podContainers;
            return this;
        }

        public Builder runtime(ContainerRuntime containerRuntime) {
            this.runtime = containerRuntime;
            return this;
        }

        /** The clock sinceSeconds counts back from. */
        public Builder clock(InstantSource source) {
            this.clock = source;
            return this;
        }

        public Builder logReader(ContainerLogReader reader) {
            this.logReader = reader;
            return this;
        }

        public KubeletServer start() throws InterruptedException {
            Objects.requireNonNull(ssl, "tls");
            Objects.requireNonNull(pods, "pods");
            Objects.requireNonNull(runtime, "runtime");
            // A node has few streaming connections at a time: two NIO event loops are plenty.
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
            ExecutorService workers = Executors.newThreadPerTaskExecutor(
                    Thread.ofVirtual().name("k4j-kubelet-stream-", 0).factory());
            StreamingRoutes routes = new StreamingRoutes(pods, runtime, clock, logReader, workers);
            try {
                Channel channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                                ch.pipeline().addLast("http", new HttpServerCodec());
                                ch.pipeline().addLast("aggregate", new HttpObjectAggregator(64 * 1024));
                                ch.pipeline().addLast("route", new KubeletRequestHandler(routes));
                            }
                        })
                        .bind(host, port).sync().channel();
                return new KubeletServer(group, channel, workers);
            } catch (InterruptedException | RuntimeException e) {
                group.shutdownGracefully();
                workers.shutdownNow();
                throw e;
            }
        }
    }
}

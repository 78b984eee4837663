package io.k4j.apiserver.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTPS listener: TLS with ALPN choosing HTTP/2 or HTTP/1.1, then {@link HttpPipelines} for either, then
 * the {@link RequestHandler} on a virtual thread per request. Epoll where the platform has it.
 */
public final class HttpServer implements AutoCloseable {

    /** Per connection: above the high mark writers wait (a slow client is not buffered without bound). */
    private static final WriteBufferWaterMark WRITE_BUFFER = new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024);

    private final EventLoopGroup group;
    private final Channel channel;
    private final ExecutorService requests;

    private HttpServer(EventLoopGroup group, Channel channel, ExecutorService requests) {
        this.group = group;
        this.channel = channel;
        this.requests = requests;
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
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        requests.shutdownNow();
    }

    /** Configuration of the listener. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 6443;
        private SslContext ssl;
        private RequestHandler handler;
        private int maxBodyBytes = 3 * 1024 * 1024;

        public Builder bind(String bindHost, int bindPort) {
            this.host = bindHost;
            this.port = bindPort;
            return this;
        }

        public Builder ssl(SslContext context) {
            this.ssl = context;
            return this;
        }

        public Builder handler(RequestHandler requestHandler) {
            this.handler = requestHandler;
            return this;
        }

        /** Request bodies above this size get 413 (upstream's limit is 3 MiB). */
        public Builder maxBodyBytes(int bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        public HttpServer start() throws InterruptedException {
            boolean epoll = Epoll.isAvailable();
            // 0: Netty's default of two event loops per core.
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(0,
                    epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
            Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
            ExecutorService requests = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("k4j-request-", 0).factory());
            HttpPipelines pipelines = new HttpPipelines(ssl, handler, requests, maxBodyBytes);
            try {
                Channel channel = new ServerBootstrap()
                        .group(group)
                        .channel(channelType)
                        .option(ChannelOption.SO_BACKLOG, 1024)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        // One watch event fans out to every watcher multiplexed on an HTTP/2 connection at once.
                        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WRITE_BUFFER)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                pipelines.initConnection(ch);
                            }
                        })
                        .bind(host, port).sync().channel();
                return new HttpServer(group, channel, requests);
            } catch (InterruptedException | RuntimeException e) {
                group.shutdownGracefully();
                requests.shutdownNow();
                throw e;
            }
        }
    }
}

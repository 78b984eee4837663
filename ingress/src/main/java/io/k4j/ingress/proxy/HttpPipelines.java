package io.k4j.ingress.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The client-side pipelines: HTTP/1.1 on a connection, or HTTP/2 with one proxying pipeline per stream. */
final class HttpPipelines {

    static final String HTTP_CODEC = "http";
    static final String EXPECT_CONTINUE = "expect-continue";
    static final String PROXY = "proxy";

    private final Supplier<ServingState> serving;
    private final BackendPool pool;
    private final Balancer balancer;
    private final Duration clientIdleTimeout;

    HttpPipelines(Supplier<ServingState> serving, BackendPool pool, Balancer balancer, Duration clientIdleTimeout) {
        this.serving = serving;
        this.pool = pool;
        this.balancer = balancer;
        this.clientIdleTimeout = clientIdleTimeout;
    }

    void http1(ChannelPipeline pipeline, String scheme) {
        // A kept-alive client connection with no exchange in flight closes after the idle timeout (as nginx's
        // keepalive_timeout); the proxying handler decides, so a slow exchange is never cut.
        // Reader idleness only: watching writes too would add a listener to every write.
        pipeline.addLast("idle", new IdleStateHandler(clientIdleTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                .addLast(HTTP_CODEC, new HttpServerCodec(new HttpDecoderConfig()
                        .setMaxInitialLineLength(8192).setMaxHeaderSize(32 * 1024).setMaxChunkSize(64 * 1024)))
                .addLast(EXPECT_CONTINUE, new HttpServerExpectContinueHandler())
                .addLast(PROXY, new FrontendHandler(serving, pool, balancer, scheme, false));
    }

    void http2(ChannelPipeline pipeline, String scheme) {
        pipeline.addLast(Http2FrameCodecBuilder.forServer()
                        .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(250)).build())
                .addLast(new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel stream) {
                        stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true))
                                .addLast(PROXY, new FrontendHandler(serving, pool, balancer, scheme, true));
                    }
                }));
    }
}

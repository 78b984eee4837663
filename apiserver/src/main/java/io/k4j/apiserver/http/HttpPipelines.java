package io.k4j.apiserver.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import java.util.concurrent.ExecutorService;

/**
 * Builds each connection's pipeline: TLS, then by ALPN either HTTP/2 (one child channel per stream, converted to
 * HTTP/1-style messages) or HTTP/1.1; both end in the same aggregator and {@link NettyExchange} handler.
 */
final class HttpPipelines {

    static final int MAX_STREAMS_PER_CONNECTION = 20_000;

    private final SslContext ssl;
    private final RequestHandler handler;
    private final ExecutorService requests;
    private final int maxBodyBytes;

    HttpPipelines(SslContext ssl, RequestHandler handler, ExecutorService requests, int maxBodyBytes) {
        this.ssl = ssl;
        this.handler = handler;
        this.requests = requests;
        this.maxBodyBytes = maxBodyBytes;
    }

    void initConnection(SocketChannel channel) {
        channel.pipeline().addLast("tls", ssl.newHandler(channel.alloc()));
        // Above TLS (outbound messages reach it first): flushes that come together are encrypted and written once.
        channel.pipeline().addLast("flush-consolidation", consolidation());
        channel.pipeline().addLast("alpn", new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
            @Override
            protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                    http2(ctx.pipeline());
                } else {
                    http1(ctx.pipeline());
                }
            }
        });
    }

    private void http1(ChannelPipeline pipeline) {
        pipeline.addLast("http", new HttpServerCodec());
        addRequestHandlers(pipeline, false);
    }

    private void http2(ChannelPipeline pipeline) {
        // Every watch is a stream; informers multiplex many over one connection (upstream allows 1000 by default).
        pipeline.addLast("h2", Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(MAX_STREAMS_PER_CONNECTION))
                .build());
        // A watch event goes to every watching stream, each write with its flush; consolidated here, the codec
        // writes the queued DATA frames once per batch instead of once per stream (and TLS encrypts them once).
        pipeline.addLast("h2-flush-consolidation", consolidation());
        pipeline.addLast("h2-streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast("h2-to-http", new Http2StreamFrameToHttpObjectCodec(true));
                addRequestHandlers(stream.pipeline(), true);
            }
        }));
    }

    /** Flushes at the latest every 256 flushes, or when the event loop has run the writes queued with them. */
    private static FlushConsolidationHandler consolidation() {
        return new FlushConsolidationHandler(256, true);
    }

    private void addRequestHandlers(ChannelPipeline pipeline, boolean http2) {
        pipeline.addLast("aggregate", new BoundedAggregator(maxBodyBytes, http2));
        pipeline.addLast("exchange", new NettyExchange.Handler(handler, requests, http2));
    }
}

package io.k4j.ingress.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;

/** After the TLS handshake: HTTP/2 when ALPN chose h2, else HTTP/1.1. */
final class TlsProtocolSelector extends ApplicationProtocolNegotiationHandler {

    private final HttpPipelines pipelines;

    TlsProtocolSelector(HttpPipelines pipelines) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.pipelines = pipelines;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            pipelines.http2(ctx.pipeline(), "https");
        } else {
            pipelines.http1(ctx.pipeline(), "https");
        }
    }
}

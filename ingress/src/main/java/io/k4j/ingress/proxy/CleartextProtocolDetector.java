package io.k4j.ingress.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;

/** On the plain HTTP port: HTTP/2 with prior knowledge (h2c) when the client opens with the preface, else HTTP/1.1. */
final class CleartextProtocolDetector extends ByteToMessageDecoder {

    private final HttpPipelines pipelines;

    CleartextProtocolDetector(HttpPipelines pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        ByteBuf preface = Http2CodecUtil.connectionPrefaceBuf();
        try {
            int compared = Math.min(in.readableBytes(), preface.readableBytes());
            boolean prefix = ByteBufUtil.equals(in, in.readerIndex(), preface, 0, compared);
            if (prefix && compared < preface.readableBytes()) {
                return;
            }
            if (prefix) {
                pipelines.http2(ctx.pipeline(), "http");
            } else {
                pipelines.http1(ctx.pipeline(), "http");
            }
            ctx.pipeline().remove(this);
        } finally {
            preface.release();
        }
    }
}

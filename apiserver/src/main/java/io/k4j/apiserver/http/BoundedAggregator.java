package io.k4j.apiserver.http;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Collects request bodies, refusing one over the limit with a 413 {@code Status} before reading the rest. */
final class BoundedAggregator extends HttpObjectAggregator {

    private final int maxBytes;
    private final boolean http2;

    BoundedAggregator(int maxBytes, boolean http2) {
        super(maxBytes);
        this.maxBytes = maxBytes;
        this.http2 = http2;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        byte[] body = Json.bytes(ApiException.tooLarge("the request body exceeds the limit of " + maxBytes
                + " bytes").toStatus());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (http2) {
            // The stream ends with the answer; the aggregator drops the rest of the body as it arrives.
            ctx.writeAndFlush(response);
            return;
        }
        response.headers().set(HttpHeaderNames.CONNECTION, "close");
        // The rest of the body is still coming on this connection and will not be read: close after answering.
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}

package io.k4j.ingress.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The ingress's own responses: 404 (no route), 502 (no endpoint answered), 503 (no ready endpoint). */
final class ErrorPages {

    private ErrorPages() {
    }

    static FullHttpResponse page(HttpResponseStatus status, String explanation) {
        String html = "<html><head><title>" + status + "</title></head><body><h1>" + status + "</h1><p>"
                + explanation + "</p><hr><p>k4j ingress</p></body></html>\n";
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(html, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        return response;
    }

    static FullHttpResponse notFound() {
        return page(HttpResponseStatus.NOT_FOUND, "No ingress rule matches this host and path.");
    }

    static FullHttpResponse noEndpoints() {
        return page(HttpResponseStatus.SERVICE_UNAVAILABLE, "The service has no ready endpoint.");
    }

    static FullHttpResponse badGateway() {
        return page(HttpResponseStatus.BAD_GATEWAY, "No endpoint of the service accepted the request.");
    }

    static FullHttpResponse badRequest() {
        return page(HttpResponseStatus.BAD_REQUEST, "The request could not be read.");
    }
}

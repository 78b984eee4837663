package io.k4j.ingress.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Locale;

/**
 * Headers between client and backend: hop-by-hop headers dropped (RFC 9110 7.6.1), X-Forwarded-* added. The
 * client's X-Forwarded-For is kept and extended, as nginx's $proxy_add_x_forwarded_for does.
 */
final class ForwardedHeaders {

    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    static final AsciiString X_FORWARDED_PORT = AsciiString.cached("x-forwarded-port");
    static final AsciiString X_REAL_IP = AsciiString.cached("x-real-ip");
    private static final List<AsciiString> HOP_BY_HOP = List.of(HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE, AsciiString.cached("proxy-connection"), HttpHeaderNames.TE,
            HttpHeaderNames.TRAILER, HttpHeaderNames.UPGRADE, HttpHeaderNames.PROXY_AUTHORIZATION);
    private static final String HTTP2_EXTENSION_PREFIX = "x-http2-";

    private ForwardedHeaders() {
    }

    /**
     * Removes hop-by-hop headers, including those the Connection header names, and for requests that came over
     * HTTP/2 the x-http2-* headers Netty's conversion adds.
     */
    static void removeHopByHop(HttpHeaders headers, boolean fromHttp2) {
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
                for (String token : connection.split(",")) {
                    String name = token.trim().toLowerCase(Locale.ROOT);
                    if (!name.isEmpty()) {
                        headers.remove(name);
                    }
                }
            }
        }
        for (AsciiString name : HOP_BY_HOP) {
            headers.remove(name);
        }
        if (fromHttp2) {
            List<String> extensions = new java.util.ArrayList<>();
            headers.forEach(header -> {
                if (header.getKey().regionMatches(true, 0, HTTP2_EXTENSION_PREFIX, 0,
                        HTTP2_EXTENSION_PREFIX.length())) {
                    extensions.add(header.getKey());
                }
            });
            extensions.forEach(headers::remove);
        }
    }

    /** Marks a request as a protocol upgrade again after hop-by-hop removal (WebSocket passthrough). */
    static void keepUpgrade(HttpHeaders headers, String upgrade) {
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE).set(HttpHeaderNames.UPGRADE, upgrade);
    }

    static String clientIp(SocketAddress client) {
        return client instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : "unknown";
    }

    static void addForwarded(HttpHeaders headers, String clientIp, String scheme, String host, String localPort) {
        String earlier = headers.get(X_FORWARDED_FOR);
        headers.set(X_FORWARDED_FOR, earlier == null || earlier.isBlank() ? clientIp : earlier + ", " + clientIp);
        headers.set(X_REAL_IP, clientIp);
        headers.set(X_FORWARDED_PROTO, scheme);
        if (host != null) {
            headers.set(X_FORWARDED_HOST, host);
        }
        headers.set(X_FORWARDED_PORT, localPort);
    }
}

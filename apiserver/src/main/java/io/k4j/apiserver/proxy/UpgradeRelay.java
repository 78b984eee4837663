package io.k4j.apiserver.proxy;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.http.ApiRequest;
import io.k4j.apiserver.http.Exchange;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Relays an upgrade request (WebSocket or SPDY, so HTTP/1.1) to a kubelet: takes the client's connection over,
 * opens a TLS connection to the kubelet on the same event loop, sends it the request with the client's upgrade
 * headers, and from then on copies bytes both ways untouched, so the kubelet's 101 and everything after reach the
 * client as they are. Each side reads only once its last read was written to the other (back-pressure).
 */
final class UpgradeRelay {

    /** Headers the kubelet needs to negotiate the same upgrade the client asked for. */
    private static final List<String> FORWARDED = List.of("upgrade", "connection", "sec-websocket-key",
            "sec-websocket-version", "sec-websocket-protocol", "x-stream-protocol-version", "user-agent", "origin");

    private final KubeletConnector connector;

    UpgradeRelay(KubeletConnector connector) {
        this.connector = connector;
    }

    void relay(ApiRequest request, Exchange exchange, KubeletLocation kubelet, String target) {
        String upgrade = request.header("upgrade");
        if (upgrade == null || !(upgrade.equalsIgnoreCase("websocket") || upgrade.equalsIgnoreCase("SPDY/3.1"))) {
            throw ApiException.badRequest("Upgrade request required");
        }
        Channel client = exchange.takeOverConnection().orElseThrow(
                () -> ApiException.badRequest("Upgrade request required (HTTP/2 cannot upgrade)"));
        byte[] head = requestHead(request, kubelet, target);
        new Bootstrap().group(client.eventLoop())
                .channel(client instanceof EpollSocketChannel ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("tls", connector.relayTls().newHandler(ch.alloc(), kubelet.host(),
                                kubelet.port()));
                        ch.pipeline().addLast("relay", new Relay(client));
                    }
                })
                .connect(kubelet.host(), kubelet.port())
                .addListener((ChannelFutureListener) connected -> {
                    if (!connected.isSuccess()) {
                        fail(client, "error dialing backend: " + connected.cause().getMessage());
                        return;
                    }
                    Channel backend = connected.channel();
                    client.pipeline().addLast("relay", new Relay(backend));
                    backend.writeAndFlush(Unpooled.wrappedBuffer(head)).addListener((ChannelFutureListener) sent -> {
                        if (sent.isSuccess()) {
                            backend.read();
                            client.read();
                        } else {
                            fail(client, "error dialing backend: " + sent.cause().getMessage());
                            backend.close();
                        }
                    });
                });
    }

    private static byte[] requestHead(ApiRequest request, KubeletLocation kubelet, String target) {
        StringBuilder head = new StringBuilder(request.method()).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(kubelet.authority()).append("\r\n");
        request.headers().forEach((name, value) -> {
            if (FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                head.append(name).append(": ").append(value).append("\r\n");
            }
        });
        return head.append("Content-Length: 0\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The client still speaks HTTP: a Status it can read, then the end of the connection. */
    private static void fail(Channel client, String message) {
        byte[] body = Json.bytes(ApiException.internal(message).toStatus());
        String head = "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        client.writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.ISO_8859_1), body))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** Copies what one side reads to the other, reading again only once written; closes both together. */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel other;

        Relay(Channel other) {
            this.other = other;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (!(message instanceof ByteBuf)) {
                io.netty.util.ReferenceCountUtil.release(message);
                ctx.read();
                return;
            }
            other.writeAndFlush(message).addListener((ChannelFutureListener) written -> {
                if (written.isSuccess()) {
                    ctx.channel().read();
                } else {
                    written.channel().close();
                    ctx.channel().close();
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (other.isActive()) {
                other.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

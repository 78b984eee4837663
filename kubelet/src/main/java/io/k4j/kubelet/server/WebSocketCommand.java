package io.k4j.kubelet.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Exec and attach over the WebSocket channel protocols v4/v5.channel.k8s.io: every binary message starts with its
 * channel: 0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize, and (v5 only) 255 close, whose {@code [255, 0]} ends
 * stdin. With {@code v4.base64.channel.k8s.io} the messages are text instead: the channel as a digit, then the data
 * in base64.
 */
final class WebSocketCommand extends SimpleChannelInboundHandler<WebSocketFrame> implements CommandOutput {

    static final int STDIN = 0;
    static final int STDOUT = 1;
    static final int STDERR = 2;
    static final int ERROR = 3;
    static final int RESIZE = 4;
    static final int CLOSE = 255;

    static final String BASE64_PROTOCOL = "v4.base64.channel.k8s.io";

    private final RemoteCommandSession session;
    private final Channel channel;
    private final boolean base64;

    WebSocketCommand(RemoteCommandSession session, Channel channel, boolean base64) {
        this.session = session;
        this.channel = channel;
        this.base64 = base64;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof BinaryWebSocketFrame binary) {
            ByteBuf content = binary.content();
            if (!content.isReadable()) {
                return;
            }
            int channelNumber = content.readUnsignedByte();
            byte[] data = new byte[content.readableBytes()];
            content.readBytes(data);
            received(channelNumber, data);
        } else if (frame instanceof TextWebSocketFrame text && base64) {
            String message = text.text();
            if (message.isEmpty() || !Character.isDigit(message.charAt(0))) {
                return;
            }
            try {
                received(message.charAt(0) - '0', Base64.getDecoder().decode(message.substring(1)));
            } catch (IllegalArgumentException notBase64) {
                ctx.close();
            }
        } else if (frame instanceof CloseWebSocketFrame) {
            session.clientGone();
            ctx.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
        } else if (frame instanceof PingWebSocketFrame ping) {
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
        }
    }

    private void received(int channelNumber, byte[] data) {
        switch (channelNumber) {
            case STDIN -> session.stdin(data);
            case RESIZE -> session.resize(data);
            case CLOSE -> {
                if (data.length > 0 && data[0] == STDIN) {
                    session.stdinClosed();
                }
            }
            default -> { }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.clientGone();
        ctx.fireChannelInactive();
    }

    @Override
    public void stdout(byte[] data, int length) {
        send(STDOUT, data, length);
    }

    @Override
    public void stderr(byte[] data, int length) {
        send(STDERR, data, length);
    }

    @Override
    public void finish(CommandStatus status) {
        byte[] json = status.json().getBytes(StandardCharsets.UTF_8);
        send(ERROR, json, json.length);
        channel.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
    }

    static ByteBuf message(int channelNumber, byte[] data, int length) {
        ByteBuf message = Unpooled.buffer(length + 1);
        message.writeByte(channelNumber);
        message.writeBytes(data, 0, length);
        return message;
    }

    private void send(int channelNumber, byte[] data, int length) {
        if (!channel.isActive()) {
            return;
        }
        WebSocketFrame frame = base64
                ? new TextWebSocketFrame((char) ('0' + channelNumber)
                        + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(data, length)))
                : new BinaryWebSocketFrame(message(channelNumber, data, length));
        channel.writeAndFlush(frame).awaitUninterruptibly();
    }
}

package io.k4j.kubelet.server;

import io.k4j.kubelet.runtime.ContainerRuntime;
import io.k4j.kubelet.runtime.PortConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Port-forward over a WebSocket channel protocol ({@code ?ports=80,81}, as fabric8 and the Python client use it):
 * port i has data on channel 2i and errors on 2i+1, and each channel first carries its port as two little-endian
 * bytes. One connection into the pod per port; the socket ends when every connection has.
 */
final class WebSocketPortForward extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketPortForward.class);

    private final Channel channel;
    private final List<Integer> ports;
    /** One per port, made before the socket is upgraded: bytes the client sends at once wait in them. */
    private final List<PortPump> pumps = new ArrayList<>();
    private int open;

    WebSocketPortForward(Channel channel, List<Integer> ports, ExecutorService workers) {
        this.channel = channel;
        this.ports = ports;
        this.open = ports.size();
        for (int i = 0; i < ports.size(); i++) {
            pumps.add(new PortPump(workers));
        }
    }

    /** Connects each port and announces it; runs on a worker thread. */
    void start(ContainerRuntime runtime, String sandboxId, ExecutorService workers) {
        for (int i = 0; i < ports.size(); i++) {
            int port = ports.get(i);
            byte[] announce = {(byte) port, (byte) (port >> 8)};
            send(2 * i, announce);
            send(2 * i + 1, announce);
            PortConnection connection;
            try {
                connection = runtime.portForward(sandboxId, port);
            } catch (IOException e) {
                pumps.get(i).failed(e);
                send(2 * i + 1, e.getMessage().getBytes(StandardCharsets.UTF_8));
                connectionEnded();
                continue;
            }
            pumps.get(i).connected(connection);
            int dataChannel = 2 * i;
            workers.execute(() -> copyFromPod(connection.input(), dataChannel));
        }
    }

    private void copyFromPod(InputStream from, int dataChannel) {
        byte[] buffer = new byte[16 * 1024];
        try {
            int read;
            while ((read = from.read(buffer)) >= 0) {
                send(dataChannel, java.util.Arrays.copyOf(buffer, read));
            }
        } catch (IOException e) {
            LOG.debug("port-forward read ended: {}", e.toString());
        }
        connectionEnded();
    }

    private void connectionEnded() {
        synchronized (this) {
            if (--open > 0) {
                return;
            }
        }
        channel.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
    }

    private void send(int channelNumber, byte[] data) {
        if (channel.isActive()) {
            channel.writeAndFlush(new BinaryWebSocketFrame(WebSocketCommand.message(channelNumber, data, data.length)))
                    .awaitUninterruptibly();
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof BinaryWebSocketFrame binary) {
            ByteBuf content = binary.content();
            if (!content.isReadable()) {
                return;
            }
            int channelNumber = content.readUnsignedByte();
            int index = channelNumber / 2;
            PortPump pump = channelNumber % 2 == 0 && index < pumps.size() ? pumps.get(index) : null;
            if (pump != null && content.isReadable()) {
                byte[] data = new byte[content.readableBytes()];
                content.readBytes(data);
                pump.toPod(data);
            }
        } else if (frame instanceof CloseWebSocketFrame) {
            ctx.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
        } else if (frame instanceof PingWebSocketFrame ping) {
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pumps.forEach(PortPump::close);
        ctx.fireChannelInactive();
    }
}

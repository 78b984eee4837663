package io.k4j.kubelet.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyHeaders;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;

/**
 * The server end of a SPDY/3.1 connection as Kubernetes uses it (moby/spdystream on the client): the client opens
 * every stream and the server answers each with a SYN_REPLY, then both send DATA; FIN half-closes a stream. Flow
 * control is not enforced (the client does not enforce it either). Stream events go to a {@link Listener}.
 */
final class SpdyConnection extends SimpleChannelInboundHandler<SpdyFrame> {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SpdyConnection.class);

    /** What the exec or port-forward logic sees of the connection; called on the event loop. */
    interface Listener {
        void stream(int id, SpdyHeaders headers);

        void data(int id, byte[] data);

        /** The client will send no more on this stream. */
        void finished(int id);

        void reset(int id);

        void closed();
    }

    private final Channel channel;
    private Listener listener;

    SpdyConnection(Channel channel) {
        this.channel = channel;
    }

    void listener(Listener streams) {
        this.listener = streams;
    }

    /** Sends data (blocking until written); {@code fin} ends the server's side of the stream. */
    void write(int id, byte[] data, int length, boolean fin) {
        if (!channel.isActive()) {
            return;
        }
        SpdyDataFrame frame = new DefaultSpdyDataFrame(id, Unpooled.copiedBuffer(data, 0, length));
        frame.setLast(fin);
        channel.writeAndFlush(frame).awaitUninterruptibly();
    }

    void close() {
        channel.close();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SpdyFrame frame) {
        LOG.debug("spdy frame in: {}", frame);
        switch (frame) {
            case SpdySynStreamFrame syn -> {
                // Netty encodes an empty header set as no header block at all, which Go's framer cannot read
                // (it always expects the zlib block): so the reply echoes the stream's type.
                DefaultSpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(syn.streamId());
                CharSequence type = syn.headers().get("streamtype");
                reply.headers().set("streamtype", type == null ? "" : type);
                ctx.writeAndFlush(reply);
                listener.stream(syn.streamId(), syn.headers());
                if (syn.isLast()) {
                    listener.finished(syn.streamId());
                }
            }
            case SpdyDataFrame data -> {
                if (data.content().isReadable()) {
                    byte[] bytes = new byte[data.content().readableBytes()];
                    data.content().readBytes(bytes);
                    listener.data(data.streamId(), bytes);
                }
                if (data.isLast()) {
                    listener.finished(data.streamId());
                }
            }
            case SpdyRstStreamFrame reset -> listener.reset(reset.streamId());
            case SpdyPingFrame ping -> ctx.writeAndFlush(new DefaultSpdyPingFrame(ping.id()));
            case SpdyGoAwayFrame goAway -> ctx.close();
            default -> { } // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (listener != null) {
            listener.closed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("SPDY connection failed: {}", cause.toString());
        ctx.close();
    }
}

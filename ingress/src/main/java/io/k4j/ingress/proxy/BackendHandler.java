package io.k4j.ingress.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The last handler of a backend connection: hands what the backend sends to the exchange that uses it. */
final class BackendHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(BackendHandler.class);

    /** The exchange using this connection; null while the connection waits in the pool. */
    private FrontendHandler owner;

    /** Whether this connection has served an exchange before: the backend may close it any moment as idle. */
    private boolean reused;

    void markReused() {
        reused = true;
    }

    boolean reused() {
        return reused;
    }

    void attach(FrontendHandler owner) {
        this.owner = owner;
    }

    void detach() {
        this.owner = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (owner == null) {
            // A pooled connection has nothing to say: whatever it sends makes it unusable.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        owner.fromBackend(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (owner != null) {
            owner.backendReadComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        FrontendHandler current = owner;
        owner = null;
        if (current != null) {
            current.backendClosed();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (owner != null) {
            owner.backendWritabilityChanged(ctx.channel().isWritable());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && owner == null) {
            ctx.close();
        }
        ReferenceCountUtil.release(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("backend connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}

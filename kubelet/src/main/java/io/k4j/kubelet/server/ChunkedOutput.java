package io.k4j.kubelet.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A streamed 200 response as an OutputStream: buffered, one chunk per flush, and each flush waits until the chunk
 * is written (a slow client slows the writer instead of filling memory). Closing ends the response and the
 * connection.
 */
final class ChunkedOutput extends OutputStream {

    private final Channel channel;
    private final byte[] buffer = new byte[16 * 1024];
    private int used;
    private boolean closed;

    private ChunkedOutput(Channel channel) {
        this.channel = channel;
    }

    static ChunkedOutput start(Channel channel, String contentType) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpUtil.setTransferEncodingChunked(response, true);
        channel.writeAndFlush(response);
        return new ChunkedOutput(channel);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        while (length > 0) {
            if (used == buffer.length) {
                flush();
            }
            int n = Math.min(length, buffer.length - used);
            System.arraycopy(data, offset, buffer, used, n);
            used += n;
            offset += n;
            length -= n;
        }
    }

    @Override
    public void flush() throws IOException {
        if (!channel.isActive()) {
            throw new IOException("the client went away");
        }
        if (used == 0) {
            return;
        }
        var future = channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(Arrays.copyOf(buffer, used))));
        used = 0;
        future.awaitUninterruptibly();
        if (!future.isSuccess()) {
            throw new IOException("the client went away", future.cause());
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (channel.isActive()) {
                flush();
            }
        } finally {
            channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        }
    }
}

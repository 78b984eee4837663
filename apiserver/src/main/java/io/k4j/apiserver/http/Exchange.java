package io.k4j.apiserver.http;

import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The answer side of one request. A handler either sends one complete response, or opens a stream (chunked
 * HTTP or a WebSocket) and writes messages until it or the client ends it. Every method may be called from any
 * thread.
 */
public interface Exchange {

    void send(int status, String contentType, byte[] body, Map<String, String> headers);

    /** Starts a streamed response (HTTP chunked, or HTTP/2 DATA frames); headers are flushed at once. */
    Stream stream(int status, String contentType);

    /** Completes a WebSocket handshake and returns the socket as a stream of text messages. */
    Stream upgradeToWebSocket(String subprotocol);

    /**
     * Takes the connection over for a proxied upgrade (WebSocket or SPDY to a kubelet): HTTP processing stops and the
     * returned channel carries the client's raw bytes (TLS still applies), with auto-read off so the caller decides
     * when to read. Empty over HTTP/2, where a stream cannot be upgraded.
     */
    Optional<Channel> takeOverConnection();

    /** An open response stream. */
    interface Stream {
        /** Writes one message (a chunk, or a WebSocket text frame), made of these parts in order, and flushes it. */
        void write(byte[]... message);

        /** Whether the client can take more right now, without waiting. */
        boolean writable();

        /**
         * Waits until the client can take more (slow clients are not buffered without bound); false if it could not
         * within {@code limit} or the connection closed.
         */
        boolean awaitWritable(Duration limit) throws InterruptedException;

        boolean isOpen();

        /** Ends the response. */
        void close();

        /**
         * Runs when the connection goes away. Returns what removes the action again: a kept-alive HTTP/1.1
         * connection outlives the stream, and must not collect one action per stream it served.
         */
        Runnable onClose(Runnable action);
    }
}

package io.k4j.dns.server;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DNS over TCP (RFC 7766): each message is preceded by its length on two bytes; a connection may carry several
 * queries, answered in order, and is closed after an idle timeout. One virtual thread per connection.
 */
public final class TcpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TcpServer.class);

    private final ServerSocket socket;
    private final QueryProcessor processor;
    private final Duration idleTimeout;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    public TcpServer(InetSocketAddress bind, QueryProcessor processor, Duration idleTimeout) throws IOException {
        this.processor = processor;
        this.idleTimeout = idleTimeout;
        this.socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(bind, 128);
        this.acceptor = Thread.ofPlatform().daemon().name("k4j-dns-tcp-accept").unstarted(this::accept);
    }

    public TcpServer start() {
        acceptor.start();
        return this;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket connection = socket.accept();
                connections.add(connection);
                Thread.ofVirtual().name("k4j-dns-tcp").start(() -> serve(connection));
            } catch (IOException failure) {
                if (!closed) {
                    log.warn("DNS over TCP: accept failed: {}", failure.toString());
                }
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setSoTimeout((int) idleTimeout.toMillis());
            connection.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(connection.getInputStream());
            OutputStream out = connection.getOutputStream();
            while (!closed) {
                byte[] query = readMessage(in);
                if (query == null) {
                    return;
                }
                byte[] response = processor.process(query, false).toCompletableFuture().join();
                if (response != null) {
                    writeMessage(out, response);
                }
            }
        } catch (SocketTimeoutException | EOFException idleOrCut) {
            log.trace("DNS over TCP connection ended: {}", idleOrCut.toString());
        } catch (IOException | RuntimeException failure) {
            if (!closed && !(failure instanceof SocketException)) {
                log.debug("DNS over TCP connection failed: {}", failure.toString());
            }
        } finally {
            connections.remove(connection);
        }
    }

    /** One length-prefixed message; null at a clean end of stream between messages. */
    static byte[] readMessage(InputStream input) throws IOException {
        DataInputStream in = input instanceof DataInputStream data ? data : new DataInputStream(input);
        int high = in.read();
        if (high < 0) {
            return null;
        }
        int length = (high << 8) | in.readUnsignedByte();
        byte[] message = new byte[length];
        in.readFully(message);
        return message;
    }

    static void writeMessage(OutputStream out, byte[] message) throws IOException {
        byte[] framed = new byte[message.length + 2];
        framed[0] = (byte) (message.length >>> 8);
        framed[1] = (byte) message.length;
        System.arraycopy(message, 0, framed, 2, message.length);
        out.write(framed);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
        for (Socket connection : connections) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.k4j.dns.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DNS over UDP on one address: a few platform threads receive on one channel and answer inline; forwarded queries
 * are answered from the thread completing them (the channel's send is thread-safe).
 */
public final class UdpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UdpServer.class);
    private static final int MAX_QUERY = 4096;

    private final DatagramChannel channel;
    private final QueryProcessor processor;
    private final List<Thread> receivers = new ArrayList<>();
    private volatile boolean closed;

    public UdpServer(InetSocketAddress bind, QueryProcessor processor, int threads) throws IOException {
        this.processor = processor;
        this.channel = DatagramChannel.open(bind.getAddress() instanceof java.net.Inet6Address
                ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.bind(bind);
        for (int i = 0; i < threads; i++) {
            Thread thread = Thread.ofPlatform().daemon().name("k4j-dns-udp-" + i).unstarted(this::receive);
            receivers.add(thread);
        }
    }

    public UdpServer start() {
        receivers.forEach(Thread::start);
        return this;
    }

    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    private void receive() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_QUERY);
        while (!closed) {
            try {
                buffer.clear();
                SocketAddress client = channel.receive(buffer);
                buffer.flip();
                byte[] query = new byte[buffer.remaining()];
                buffer.get(query);
                var response = processor.process(query, true).toCompletableFuture();
                if (response.isDone()) {
                    send(response.join(), client);
                } else {
                    response.thenAccept(bytes -> send(bytes, client));
                }
            } catch (ClosedChannelException stopped) {
                return;
            } catch (IOException | RuntimeException failure) {
                if (!closed) {
                    log.warn("DNS over UDP: {}", failure.toString());
                }
            }
        }
    }

    private void send(byte[] response, SocketAddress client) {
        if (response == null || closed) {
            return;
        }
        try {
            channel.send(ByteBuffer.wrap(response), client);
        } catch (IOException failure) {
            if (!closed) {
                log.debug("cannot answer {} over UDP: {}", client, failure.toString());
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        channel.close();
        for (Thread thread : receivers) {
            try {
                thread.join(2000);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

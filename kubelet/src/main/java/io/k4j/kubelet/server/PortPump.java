package io.k4j.kubelet.server;

import io.k4j.kubelet.runtime.PortConnection;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Writes what the client sends into a pod connection on a worker thread, so event loops never block on it. It
 * exists before the connection does: bytes the client sends while the connection is being opened wait here.
 */
final class PortPump {

    private static final byte[] END = new byte[0];

    private final CompletableFuture<PortConnection> connection = new CompletableFuture<>();
    private final BlockingQueue<byte[]> toPod = new LinkedBlockingQueue<>();

    PortPump(ExecutorService workers) {
        workers.execute(this::drain);
    }

    void connected(PortConnection pod) {
        connection.complete(pod);
    }

    /** The connection could not be opened: what the client sends is dropped. */
    void failed(IOException cause) {
        connection.completeExceptionally(cause);
    }

    void toPod(byte[] data) {
        if (data.length > 0) {
            toPod.add(data);
        }
    }

    /** The client sent everything: the pod side reads EOF. */
    void endOfInput() {
        toPod.add(END);
    }

    void close() {
        toPod.add(END);
        connection.thenAccept(PortConnection::close);
    }

    private void drain() {
        PortConnection pod;
        try {
            pod = connection.join();
        } catch (RuntimeException failed) {
            return;
        }
        try {
            while (true) {
                byte[] data = toPod.take();
                if (data == END) {
                    pod.shutdownOutput();
                    return;
                }
                pod.output().write(data);
                pod.output().flush();
            }
        } catch (IOException e) {
            pod.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

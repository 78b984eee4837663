package io.k4j.kubelet.server;

import io.k4j.kubelet.runtime.PortConnection;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;

/** Writes what the client sends into a pod connection on a worker thread, so event loops never block on it. */
final class PortPump {

    private static final byte[] END = new byte[0];

    private final PortConnection connection;
    private final BlockingQueue<byte[]> toPod = new LinkedBlockingQueue<>();

    PortPump(PortConnection connection, ExecutorService workers) {
        this.connection = connection;
        workers.execute(this::drain);
    }

    PortConnection connection() {
        return connection;
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
        connection.close();
    }

    private void drain() {
        try {
            while (true) {
                byte[] data = toPod.take();
                if (data == END) {
                    connection.shutdownOutput();
                    return;
                }
                connection.output().write(data);
                connection.output().flush();
            }
        } catch (IOException e) {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

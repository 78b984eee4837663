package io.k4j.kubelet.runtime;

import java.io.InputStream;
import java.io.OutputStream;

/** One forwarded TCP connection into a pod. */
public interface PortConnection extends AutoCloseable {
    InputStream input();

    OutputStream output();

    /** Half-closes: the pod side reads EOF. */
    void shutdownOutput();

    @Override
    void close();
}

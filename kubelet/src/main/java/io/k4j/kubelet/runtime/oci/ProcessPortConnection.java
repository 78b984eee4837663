package io.k4j.kubelet.runtime.oci;

import io.k4j.kubelet.runtime.PortConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A forwarded connection carried by a netcat process inside the pod's network namespace. */
final class ProcessPortConnection implements PortConnection {
    private final Process process;

    ProcessPortConnection(Process process) {
        this.process = process;
    }

    @Override
    public InputStream input() {
        return process.getInputStream();
    }

    @Override
    public OutputStream output() {
        return process.getOutputStream();
    }

    @Override
    public void shutdownOutput() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // netcat is gone: the connection is over anyway
        }
    }

    @Override
    public void close() {
        process.destroy();
    }
}

package io.k4j.kubelet.runtime.oci;

import io.k4j.kubelet.runtime.StreamSession;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/** An exec'd process' streams: a runtime exec child process (under a pty of its own when the exec asked for one). */
final class ProcessSession implements StreamSession {
    private final Process process;
    private final boolean stdin;
    private final boolean tty;

    ProcessSession(Process process, boolean stdin, boolean tty) {
        this.process = process;
        this.stdin = stdin;
        this.tty = tty;
        if (!stdin) {
            try {
                process.getOutputStream().close();
            } catch (java.io.IOException ignored) {
                // already gone: the process ended
            }
        }
    }

    @Override
    public OutputStream stdin() {
        return stdin ? process.getOutputStream() : null;
    }

    @Override
    public InputStream stdout() {
        return process.getInputStream();
    }

    @Override
    public InputStream stderr() {
        return tty ? null : process.getErrorStream();
    }

    @Override
    public void resize(int width, int height) {
        // the exec's terminal belongs to the runtime's own pty; resizing it is not supported
    }

    @Override
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}

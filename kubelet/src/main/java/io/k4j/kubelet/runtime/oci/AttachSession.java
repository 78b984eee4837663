package io.k4j.kubelet.runtime.oci;

import io.k4j.kubelet.runtime.StreamSession;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * An attach through {@link AttachBridge}: splits conmon's framed output into stdout and stderr. A lingering session
 * (a watcher of a stdinOnce container) ends by detaching from its bridge, which stays connected until the container
 * exits, so the container's stdin is left to the first attach that sends some.
 */
final class AttachSession implements StreamSession {
    private static final int PIPE_BUFFER = 256 * 1024;
    /** conmon numbers its pipes 1 stdin, 2 stdout, 3 stderr and tags each packet with one. */
    private static final int STDERR = 3;

    private final Process bridge;
    private final boolean stdin;
    private final boolean tty;
    private final boolean linger;
    private final Resizer resizer;
    private final IntSupplier exitCode;
    private final PipedInputStream stdout = new PipedInputStream(PIPE_BUFFER);
    private final PipedInputStream stderr = new PipedInputStream(PIPE_BUFFER);
    private volatile boolean closed;

    interface Resizer {
        void resize(int width, int height) throws IOException;
    }

    AttachSession(Process bridge, boolean stdin, boolean tty, boolean linger, Resizer resizer, IntSupplier exitCode)
            throws IOException {
        this.bridge = bridge;
        this.stdin = stdin;
        this.tty = tty;
        this.linger = linger;
        this.resizer = resizer;
        this.exitCode = exitCode;
        PipedOutputStream out = new PipedOutputStream(stdout);
        PipedOutputStream err = new PipedOutputStream(stderr);
        Thread.ofVirtual().name("attach-demux").start(() -> demux(out, err));
    }

    private void demux(PipedOutputStream out, PipedOutputStream err) {
        try (out; err; DataInputStream frames = new DataInputStream(bridge.getInputStream())) {
            while (true) {
                boolean toStderr = frames.readUnsignedByte() == STDERR && !tty;
                byte[] data = new byte[frames.readInt()];
                frames.readFully(data);
                (toStderr ? err : out).write(data);
                (toStderr ? err : out).flush();
            }
        } catch (EOFException end) {
            // the container exited or the session closed
        } catch (IOException e) {
            if (bridge.isAlive() && !closed) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public OutputStream stdin() {
        return stdin ? bridge.getOutputStream() : null;
    }

    @Override
    public InputStream stdout() {
        return stdout;
    }

    @Override
    public InputStream stderr() {
        return tty ? null : stderr;
    }

    @Override
    public void resize(int width, int height) {
        if (tty) {
            try {
                resizer.resize(width, height);
            } catch (IOException ignored) {
                // the container is gone; nothing to resize
            }
        }
    }

    @Override
    public int waitFor() throws InterruptedException {
        bridge.waitFor();
        return exitCode.getAsInt();
    }

    @Override
    public void close() {
        closed = true;
        if (linger) {
            // the bridge's stdin ending tells it to detach; it exits by itself as the container does
            closeQuietly(bridge.getOutputStream());
            closeQuietly(bridge.getInputStream());
            return;
        }
        bridge.destroy();
        try {
            bridge.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        bridge.destroyForcibly();
    }

    private static void closeQuietly(Closeable stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // the bridge is gone already
        }
    }
}

package io.k4j.kubelet.server;

import io.k4j.kubelet.runtime.StreamSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exec or attach between a protocol (which feeds stdin, resizes and disconnects in, from its event loop) and a
 * runtime {@link StreamSession}: output is pumped on worker threads and the exit code ends it.
 */
final class RemoteCommandSession {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteCommandSession.class);
    private static final byte[] EOF = new byte[0];

    /** Opens the runtime side (it may block). */
    @FunctionalInterface
    interface Opener {
        StreamSession open() throws IOException;
    }

    private final Opener opener;
    private final String description;
    private final boolean sendStdout;
    private final boolean sendStderr;
    private final ExecutorService workers;
    private final BlockingQueue<byte[]> stdin = new LinkedBlockingQueue<>();
    private final AtomicBoolean gone = new AtomicBoolean();
    private final TerminalSize terminal = new TerminalSize();
    private volatile StreamSession session;
    private volatile TerminalSize.Size lastSize;
    private CommandOutput output;

    /** {@code sendStdout}/{@code sendStderr}: what the client asked for; the rest is read and dropped. */
    RemoteCommandSession(Opener opener, String description, boolean sendStdout, boolean sendStderr,
                         ExecutorService workers) {
        this.opener = opener;
        this.description = description;
        this.sendStdout = sendStdout;
        this.sendStderr = sendStderr;
        this.workers = workers;
    }

    void start(CommandOutput commandOutput) {
        this.output = commandOutput;
        workers.execute(this::run);
    }

    void stdin(byte[] data) {
        if (data.length > 0) {
            stdin.add(data);
        }
    }

    void stdinClosed() {
        stdin.add(EOF);
    }

    void resize(byte[] json) {
        for (TerminalSize.Size size : terminal.feed(json)) {
            lastSize = size;
            StreamSession current = session;
            if (current != null) {
                current.resize(size.width(), size.height());
            }
        }
    }

    /** The client went away: an exec'd process is killed, an attached container keeps running. */
    void clientGone() {
        if (gone.compareAndSet(false, true)) {
            stdin.add(EOF);
            StreamSession current = session;
            if (current != null) {
                current.close();
            }
        }
    }

    private void run() {
        StreamSession opened;
        try {
            opened = opener.open();
        } catch (IOException | RuntimeException e) {
            output.finish(CommandStatus.error(e.getMessage() == null ? e.toString() : e.getMessage()));
            return;
        }
        session = opened;
        if (gone.get()) {
            opened.close();
            return;
        }
        TerminalSize.Size size = lastSize;
        if (size != null) {
            opened.resize(size.width(), size.height());
        }
        try (opened) {
            Thread stdinWriter = Thread.ofVirtual().start(() -> writeStdin(opened.stdin()));
            Thread out = pump(opened.stdout(), true);
            Thread err = pump(opened.stderr(), false);
            int code = opened.waitFor();
            out.join();
            if (err != null) {
                err.join();
            }
            stdinWriter.interrupt();
            if (!gone.get()) {
                output.finish(CommandStatus.exited(code, description));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Thread pump(InputStream from, boolean stdout) {
        if (from == null) {
            return null;
        }
        return Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                int read;
                while ((read = from.read(buffer)) >= 0) {
                    if (stdout && sendStdout) {
                        output.stdout(buffer, read);
                    } else if (!stdout && sendStderr) {
                        output.stderr(buffer, read);
                    }
                }
            } catch (IOException e) {
                LOG.debug("{}: output ended: {}", description, e.toString());
            }
        });
    }

    private void writeStdin(OutputStream to) {
        if (to == null) {
            return;
        }
        try {
            while (true) {
                byte[] data = stdin.take();
                if (data == EOF) {
                    to.close();
                    return;
                }
                to.write(data);
                to.flush();
            }
        } catch (IOException e) {
            LOG.debug("{}: stdin ended: {}", description, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

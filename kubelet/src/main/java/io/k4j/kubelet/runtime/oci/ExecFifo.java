package io.k4j.kubelet.runtime.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts a container that runc has created the way {@code runc start} does, without running runc: that saves a
 * process and about 6 ms of CPU per container start (docs/benchmarks.md). runc's init process waits to open the
 * container's {@code exec.fifo} (in runc's state directory) for writing; when a reader opens it, init writes one
 * byte and execs the container's process, and the reader removes the fifo, which is how runc tells a started
 * container from a created one. This layout is runc's own (unchanged since 1.0).
 *
 * <p>Failure modes: no fifo (another runtime, or the container was started already) and an init that never answers
 * (it died while waiting) both return false, and the caller runs the runtime's own start, which says what is wrong.
 * A reader still waiting for a dead init is released by opening the fifo's other end ourselves. Left as it is: an
 * init that answers only after the timeout may hand its byte to that released reader, and the fallback {@code runc
 * start} then reports "already running" for a container that does run.
 */
final class ExecFifo {
    static final String FILE_NAME = "exec.fifo";

    private ExecFifo() {
    }

    /** Whether the container whose fifo is {@code fifo} was started within {@code timeout}. */
    static boolean start(Path fifo, Duration timeout) throws IOException {
        if (!Files.exists(fifo)) {
            return false;
        }
        CompletableFuture<Boolean> started = new CompletableFuture<>();
        Thread.ofVirtual().name("exec-fifo").start(() -> {
            try {
                started.complete(readStartByte(fifo));
            } catch (IOException e) {
                started.complete(false);
            }
        });
        try {
            if (!started.get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (TimeoutException e) {
            release(fifo);
            return false;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            release(fifo);
            throw new IOException("interrupted while starting the container", e);
        }
        Files.deleteIfExists(fifo);
        return true;
    }

    /** Opening blocks until init opens its end; init then writes one byte and execs, closing its end. */
    private static boolean readStartByte(Path fifo) throws IOException {
        try (InputStream in = Files.newInputStream(fifo)) {
            return in.read() >= 0;
        }
    }

    /**
     * Lets a reader blocked in open go: it then reads end-of-file and reports the container as not started. Opened
     * for reading and writing, which never blocks on a fifo (write-only would wait for a reader that may be gone).
     */
    private static void release(Path fifo) {
        try (FileChannel both = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // opened and closed: that is all the blocked reader needs
        } catch (IOException e) {
            // the fifo is gone, or nobody waits on it any more: nothing to release
        }
    }
}

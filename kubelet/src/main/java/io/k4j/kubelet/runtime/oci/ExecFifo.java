package io.k4j.kubelet.runtime.oci;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts a container that runc has created the way {@code runc start} does, without running runc: that saves a
 * process and about 6 ms of CPU per container start (docs/benchmarks.md). runc's init process waits to open the
 * container's {@code exec.fifo} (in runc's state directory) for writing; when a reader opens it, init writes one
 * byte ({@code '0'}) and execs the container's process, and the reader removes the fifo, which is how runc tells a
 * started container from a created one. This layout is runc's own (unchanged since 1.0).
 *
 * <p>The fifo is opened for reading and writing, which never blocks, so no reader is ever left waiting in
 * {@code open} for an init that does not come (such a reader would take the byte meant for a later start). Holding
 * the write end too means the read sees no end-of-file; on timeout the starter writes a byte of its own to wake its
 * read, and the first byte in the fifo decides.
 *
 * <p>Failure modes: no fifo (another runtime, or the container was started already) and an init that does not
 * answer within the timeout (it died while waiting) both return false, and the caller runs the runtime's own start,
 * which says what is wrong. An init answering after the timeout but before the starter closes the fifo still counts
 * as started when its byte came first; one that opened its end but writes only after the close gets EPIPE and dies,
 * and the runtime's start then reports the container as stopped.
 */
final class ExecFifo {
    static final String FILE_NAME = "exec.fifo";
    /** runc's init writes '0'; any other byte was written by the starter to end its own wait. */
    private static final int TIMED_OUT = 'x';

    private ExecFifo() {
    }

    /** Whether the container whose fifo is {@code fifo} was started within {@code timeout}. */
    static boolean start(Path fifo, Duration timeout) throws IOException {
        if (!Files.exists(fifo)) {
            return false;
        }
        int first;
        try (RandomAccessFile both = new RandomAccessFile(fifo.toFile(), "rw")) {
            first = firstByte(both, timeout);
        }
        if (first < 0 || first == TIMED_OUT) {
            return false;
        }
        Files.deleteIfExists(fifo);
        return true;
    }

    /**
     * The first byte written to the fifo: init's, or the starter's own after {@code timeout} (or when the caller is
     * interrupted; the flag stays set). The reader is always woken and awaited, so the fifo is never closed under it.
     */
    private static int firstByte(RandomAccessFile fifo, Duration timeout) throws IOException {
        CompletableFuture<Integer> read = new CompletableFuture<>();
        Thread.ofVirtual().name("exec-fifo").start(() -> {
            try {
                read.complete(fifo.read());
            } catch (IOException e) {
                read.complete(-1);
            }
        });
        try {
            return read.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            fifo.write(TIMED_OUT);
            return read.join();
        } catch (InterruptedException e) {
            fifo.write(TIMED_OUT);
            Thread.currentThread().interrupt();
            return read.join();
        } catch (ExecutionException e) {
            return -1;
        }
    }
}

package io.k4j.kubelet.runtime.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fifo handshake runc's init waits on, played by a thread standing in for init. */
class ExecFifoTest {

    @TempDir
    Path dir;

    @Test
    void startsTheContainerWhenInitAnswersAndRemovesTheFifo() throws Exception {
        Path fifo = mkfifo();
        CompletableFuture<Void> init = answeringInit(fifo);

        assertThat(ExecFifo.start(fifo, Duration.ofMinutes(1))).isTrue();

        init.get(1, TimeUnit.MINUTES);
        assertThat(fifo).doesNotExist();
    }

    @Test
    void withoutAFifoTheContainerIsNotStartedHere() throws Exception {
        assertThat(ExecFifo.start(dir.resolve(ExecFifo.FILE_NAME), Duration.ofMinutes(1))).isFalse();
    }

    @Test
    void anInitThatNeverAnswersLeavesTheFifoForTheRuntimesOwnStart() throws Exception {
        Path fifo = mkfifo();

        assertThat(ExecFifo.start(fifo, Duration.ofMillis(50))).isFalse();

        assertThat(fifo).exists();
        // the starter's waiting reader was let go: a later init's byte reaches the next start, not that reader
        CompletableFuture<Void> init = answeringInit(fifo);
        assertThat(ExecFifo.start(fifo, Duration.ofMinutes(1))).isTrue();
        init.get(1, TimeUnit.MINUTES);
    }

    /** What runc's init does: opens its end (blocking until a reader comes), writes one byte, goes on to exec. */
    private static CompletableFuture<Void> answeringInit(Path fifo) {
        return CompletableFuture.runAsync(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write('0');
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private Path mkfifo() throws Exception {
        Path fifo = dir.resolve(ExecFifo.FILE_NAME);
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        return fifo;
    }
}

package io.k4j.kubelet.runtime.oci;

import io.k4j.kubelet.runtime.StreamSession;
import io.k4j.kubelet.network.ProcessRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
            } catch (IOException ignored) {
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

    /**
     * Sizes the pty {@code script} gave the runtime; the kernel then signals the runtime, which copies the size to the
     * container's terminal.
     */
    @Override
    public void resize(int width, int height) {
        if (!tty) {
            return;
        }
        Optional<Path> terminal = process.descendants().map(child -> Path.of("/proc", child.pid() + "", "fd", "0"))
                .flatMap(fd -> {
                    try {
                        return Stream.of(Files.readSymbolicLink(fd));
                    } catch (IOException gone) {
                        return Stream.empty();
                    }
                })
                .filter(target -> target.toString().startsWith("/dev/pts/")).findFirst();
        if (terminal.isPresent()) {
            try {
                ProcessRunner.run(List.of("stty", "-F", terminal.get().toString(), "rows", Integer.toString(height),
                        "cols", Integer.toString(width)), Map.of(), null, Duration.ofSeconds(5));
            } catch (IOException ignored) {
                // the exec ended meanwhile
            }
        }
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

package io.k4j.kubelet.runtime.oci;

import io.k4j.kubelet.runtime.StreamSession;
import io.k4j.kubelet.network.ProcessRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
     * Sizes the pty {@code script} gave the runtime and signals the runtime, which copies the size to the container's
     * terminal. The kernel signals only on a change, which the runtime may miss while starting: hence the own signal.
     */
    @Override
    public void resize(int width, int height) {
        if (!tty) {
            return;
        }
        List<ProcessHandle> onTerminal = new ArrayList<>();
        Path terminal = null;
        for (ProcessHandle child : process.descendants().toList()) {
            try {
                Path proc = Path.of("/proc", Long.toString(child.pid()));
                Path stdin = Files.readSymbolicLink(proc.resolve("fd/0"));
                // the exec'd process descends from the runtime too, but its /dev/pts is the container's
                boolean ours = Files.readSymbolicLink(proc.resolve("ns/mnt"))
                        .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")));
                if (ours && stdin.toString().startsWith("/dev/pts/")) {
                    terminal = stdin;
                    onTerminal.add(child);
                }
            } catch (IOException gone) {
                // the process ended meanwhile
            }
        }
        if (terminal == null) {
            return;
        }
        try {
            ProcessRunner.run(List.of("stty", "-F", terminal.toString(), "rows", Integer.toString(height), "cols",
                    Integer.toString(width)), Map.of(), null, Duration.ofSeconds(5));
            List<String> kill = new ArrayList<>(List.of("kill", "-WINCH"));
            onTerminal.forEach(child -> kill.add(Long.toString(child.pid())));
            ProcessRunner.run(kill, Map.of(), null, Duration.ofSeconds(5));
        } catch (IOException ignored) {
            // the exec ended meanwhile
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

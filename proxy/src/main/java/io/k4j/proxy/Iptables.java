package io.k4j.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the proxy's commands (iptables-restore, iptables-save, iptables, conntrack, sysctl) in the network namespace
 * the proxy programs. {@link #local()} runs them in this process's namespace; {@link #inNetns(String)} enters a
 * named one with nsenter, for tests and benchmarks.
 */
@FunctionalInterface
public interface Iptables {

    /** Runs argv with stdin (may be empty) and returns its exit code and output; never throws for a non-zero exit. */
    Result exec(List<String> argv, String stdin) throws IOException;

    record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    static Iptables local() {
        return Iptables::run;
    }

    /** Runs every command inside /run/netns/NAME (only its network namespace, via nsenter). */
    static Iptables inNetns(String name) {
        List<String> prefix = List.of("nsenter", "--net=/run/netns/" + name, "--");
        return (argv, stdin) -> {
            List<String> full = new ArrayList<>(prefix);
            full.addAll(argv);
            return run(full, stdin);
        };
    }

    private static Result run(List<String> argv, String stdin) throws IOException {
        Process p = new ProcessBuilder(argv).start();
        CompletableFuture<String> out = readAsync(p.getInputStream());
        CompletableFuture<String> err = readAsync(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null && !stdin.isEmpty()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // The command exited without reading everything; its exit code and stderr tell why.
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + argv);
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + argv, e);
        }
    }

    private static CompletableFuture<String> readAsync(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}

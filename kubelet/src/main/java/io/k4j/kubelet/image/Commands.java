package io.k4j.kubelet.image;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the external tools the image store uses (skopeo, mknod, setfattr) and finds them on the PATH. */
final class Commands {
    private static final List<String> SEARCH_PATH = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
            "/usr/bin", "/sbin", "/bin");

    /** How a command ended: its exit code and its combined stdout and stderr. */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private Commands() {
    }

    static boolean installed(String tool) {
        return SEARCH_PATH.stream().anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }

    static Result run(List<String> command, long timeoutSeconds) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.getFirst() + " did not finish within " + timeoutSeconds + "s");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8).strip());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.getFirst(), e);
        }
    }

    /**
     * Runs a command whose stdout is data: the exact bytes go to {@code stdout}; the result's output is its
     * stderr.
     */
    static Result runToFile(List<String> command, Path stdout, long timeoutSeconds) throws IOException {
        Path stderr = stdout.resolveSibling(stdout.getFileName() + ".err");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.getFirst() + " did not finish within " + timeoutSeconds + "s");
            }
            String errors = Files.readString(stderr, StandardCharsets.UTF_8).strip();
            Files.deleteIfExists(stderr);
            return new Result(process.exitValue(), errors);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.getFirst(), e);
        }
    }

    /** Runs a command that must succeed. */
    static void check(List<String> command) throws IOException {
        Result result = run(command, 60);
        if (!result.ok()) {
            throw new IOException(String.join(" ", command) + " failed (exit " + result.exitCode() + "): "
                    + result.output());
        }
    }
}

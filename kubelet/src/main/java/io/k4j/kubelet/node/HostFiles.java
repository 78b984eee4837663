package io.k4j.kubelet.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the host's small text files (/proc, /etc, /sys); tests point it at a directory that mimics them. */
@FunctionalInterface
public interface HostFiles {

    /** The file's content, or empty when it is missing or unreadable. */
    Optional<String> read(String absolutePath);

    /** Files under {@code root} as if it were "/". */
    static HostFiles under(Path root) {
        return absolutePath -> {
            // Not Files.readString: it sizes its read by the file's size, and sysctl files under /proc/sys report
            // one byte, so it returned "3" for a pid_max of 32768.
            try (var in = Files.newInputStream(root.resolve(absolutePath.substring(1)))) {
                return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        };
    }

    static HostFiles system() {
        return under(Path.of("/"));
    }

    /** The file's first line, trimmed, or empty. */
    default Optional<String> firstLine(String absolutePath) {
        return read(absolutePath).map(text -> text.lines().findFirst().orElse("").trim()).filter(line -> !line.isEmpty());
    }
}

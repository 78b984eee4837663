package io.k4j.kubelet.logs;

import io.k4j.kubelet.runtime.ContainerRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps container logs within bounds like upstream's container log manager: when a log grows past
 * {@code maxSizeBytes} it is renamed to {@code <log>.<timestamp>}, the runtime reopens the original path, and only
 * the newest {@code maxFiles - 1} rotated files are kept next to the live one. Compression is not done.
 */
public final class LogRotator {

    /** Upstream's containerLogMaxSize (10Mi) and containerLogMaxFiles (5). */
    public static final long DEFAULT_MAX_SIZE = 10L * 1024 * 1024;
    public static final int DEFAULT_MAX_FILES = 5;

    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final ContainerRuntime runtime;
    private final InstantSource clock;
    private final long maxSizeBytes;
    private final int maxFiles;

    public LogRotator(ContainerRuntime runtime, InstantSource clock, long maxSizeBytes, int maxFiles) {
        if (maxFiles < 2) {
            throw new IllegalArgumentException("containerLogMaxFiles must be at least 2, was " + maxFiles);
        }
        this.runtime = runtime;
        this.clock = clock;
        this.maxSizeBytes = maxSizeBytes;
        this.maxFiles = maxFiles;
    }

    public LogRotator(ContainerRuntime runtime, InstantSource clock) {
        this(runtime, clock, DEFAULT_MAX_SIZE, DEFAULT_MAX_FILES);
    }

    /** Rotates the log when it is over size (call periodically); returns whether it did. */
    public boolean rotate(String containerId, Path logPath) throws IOException {
        if (!Files.exists(logPath) || Files.size(logPath) <= maxSizeBytes) {
            return false;
        }
        Path rotated = uniqueRotatedName(logPath);
        Files.move(logPath, rotated);
        try {
            runtime.reopenContainerLog(containerId);
        } catch (IOException e) {
            // As upstream: put the file back, so the runtime keeps writing where readers look.
            Files.move(rotated, logPath);
            throw e;
        }
        removeOldest(logPath);
        return true;
    }

    private Path uniqueRotatedName(Path logPath) {
        String base = logPath.getFileName() + "." + SUFFIX.format(clock.instant());
        Path candidate = logPath.resolveSibling(base);
        for (int i = 1; Files.exists(candidate); i++) {
            candidate = logPath.resolveSibling(base + "-" + i);
        }
        return candidate;
    }

    private void removeOldest(Path logPath) throws IOException {
        String prefix = logPath.getFileName() + ".";
        List<Path> rotated = new ArrayList<>();
        try (Stream<Path> siblings = Files.list(logPath.getParent())) {
            siblings.filter(path -> path.getFileName().toString().startsWith(prefix)).forEach(rotated::add);
        }
        // The timestamp suffix sorts by age.
        rotated.sort(Comparator.comparing(path -> path.getFileName().toString()));
        for (int i = 0; i < rotated.size() - (maxFiles - 1); i++) {
            Files.deleteIfExists(rotated.get(i));
        }
    }

    /** The rotated files of a log, oldest first (previous logs of one instance). */
    public static List<Path> rotatedFiles(Path logPath) throws IOException {
        String prefix = logPath.getFileName() + ".";
        try (Stream<Path> siblings = Files.list(logPath.getParent())) {
            return siblings.filter(path -> path.getFileName().toString().startsWith(prefix))
                    .sorted(Comparator.comparing(path -> path.getFileName().toString())).toList();
        }
    }
}

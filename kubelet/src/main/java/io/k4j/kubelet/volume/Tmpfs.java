package io.k4j.kubelet.volume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** tmpfs mounts for memory-backed emptyDirs and secrets, through mount(8) and umount(8); needs root. */
final class Tmpfs {

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private Tmpfs() {
    }

    /** Mounts a tmpfs on {@code dir} unless one is there already; {@code sizeBytes} 0 for the kernel's default. */
    static void mount(Path dir, long sizeBytes) throws IOException {
        if (isMountPoint(dir)) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("mount", "-t", "tmpfs"));
        if (sizeBytes > 0) {
            command.addAll(List.of("-o", "size=" + sizeBytes));
        }
        command.addAll(List.of("tmpfs", dir.toString()));
        run(command);
    }

    static void unmount(Path dir) throws IOException {
        if (isMountPoint(dir)) {
            run(List.of("umount", dir.toString()));
        }
    }

    /** The mount points at or under {@code dir}, deepest first (as they must be unmounted). */
    static List<Path> mountsUnder(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        List<Path> found = new ArrayList<>();
        for (Path point : mountPoints()) {
            if (point.startsWith(absolute)) {
                found.add(point);
            }
        }
        found.sort((a, b) -> b.getNameCount() - a.getNameCount());
        return found;
    }

    static boolean isMountPoint(Path dir) throws IOException {
        return mountPoints().contains(dir.toAbsolutePath().normalize());
    }

    private static List<Path> mountPoints() throws IOException {
        List<Path> points = new ArrayList<>();
        for (String line : Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            if (fields.length > 4) {
                points.add(Path.of(unescape(fields[4])));
            }
        }
        return points;
    }

    /** mountinfo escapes space, tab, newline and backslash as \ooo. */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + " interrupted");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}

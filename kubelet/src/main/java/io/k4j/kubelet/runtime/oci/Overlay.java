package io.k4j.kubelet.runtime.oci;

import io.k4j.kubelet.network.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** A container's root file system: the image layers read-only under an upper and work dir of its own. */
final class Overlay {
    private Overlay() {
    }

    /** Mounts DIR/rootfs from {@code layers} (top first) with DIR/upper and DIR/work. */
    static void mount(List<Path> layers, Path dir) throws IOException {
        for (Path layer : layers) {
            if (!Files.isDirectory(layer)) {
                throw new IOException("image layer " + layer + " is missing");
            }
        }
        Path upper = Files.createDirectories(dir.resolve("upper"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        String lower = layers.stream().map(Path::toString).collect(Collectors.joining(":"));
        ProcessRunner.check(List.of("mount", "-t", "overlay", "overlay", "-o",
                "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work, rootfs.toString()));
    }

    /** Unmounts DIR/rootfs if it is mounted. */
    static void unmount(Path dir) throws IOException {
        Path rootfs = dir.resolve("rootfs");
        if (mounted(rootfs)) {
            ProcessRunner.check(List.of("umount", rootfs.toString()));
        }
    }

    static boolean mounted(Path path) throws IOException {
        String target = path.toAbsolutePath().toString();
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .map(line -> line.split(" "))
                .anyMatch(fields -> fields.length > 4 && fields[4].equals(target));
    }
}

package io.k4j.kubelet.runtime.oci;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The node's device nodes, which a privileged container gets (as upstream runtimes give them) in its spec. */
final class HostDevices {
    private static final Path DEV = Path.of("/dev");
    /** Mounted or made by the runtime itself in every container. */
    private static final Set<String> RUNTIME_MADE = Set.of("/dev/pts", "/dev/shm", "/dev/mqueue", "/dev/fd",
            "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty", "/dev/console",
            "/dev/ptmx");
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    private HostDevices() {
    }

    static List<Map<String, Object>> list() {
        List<Map<String, Object>> devices = new ArrayList<>();
        try {
            Files.walkFileTree(DEV, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return RUNTIME_MADE.contains(dir.toString()) ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isOther() && !RUNTIME_MADE.contains(file.toString())) {
                        device(file).ifPresent(devices::add);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return devices;
        }
        return devices;
    }

    private static java.util.Optional<Map<String, Object>> device(Path file) throws IOException {
        int mode = (Integer) Files.getAttribute(file, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        String type = switch (mode & S_IFMT) {
            case S_IFCHR -> "c";
            case S_IFBLK -> "b";
            default -> null;
        };
        if (type == null) {
            return java.util.Optional.empty();
        }
        long rdev = (Long) Files.getAttribute(file, "unix:rdev", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("path", file.toString());
        device.put("type", type);
        device.put("major", ((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffL));
        device.put("minor", (rdev & 0xff) | ((rdev >> 12) & ~0xffL));
        device.put("fileMode", mode & 07777);
        device.put("uid", Files.getAttribute(file, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS));
        device.put("gid", Files.getAttribute(file, "unix:gid", java.nio.file.LinkOption.NOFOLLOW_LINKS));
        return java.util.Optional.of(device);
    }
}

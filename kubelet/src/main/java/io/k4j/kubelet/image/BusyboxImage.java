package io.k4j.kubelet.image;

import io.k4j.kubelet.network.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A minimal image made on the node itself, for machines without a registry (tests, benchmarks, air-gapped
 * nodes): one layer holding the static busybox of the busybox-static package and a symlink per applet, written
 * with umoci as an OCI layout.
 */
public final class BusyboxImage {

    public static final Path BUSYBOX = Path.of("/bin/busybox");

    private BusyboxImage() {
    }

    /** Why the image cannot be made here, or null when it can. */
    public static String unavailableReason() {
        if (!Files.isExecutable(BUSYBOX)) {
            return "busybox-static is not installed (" + BUSYBOX + ")";
        }
        for (String tool : List.of("/usr/bin/umoci", "/usr/sbin/chroot")) {
            if (!Files.isExecutable(Path.of(tool))) {
                return tool + " is not installed";
            }
        }
        return null;
    }

    /** Writes the image as {@code work/layout:TAG} (Cmd unset; the caller configures it) and returns the layout. */
    public static Path writeOciLayout(Path work, String tag) throws IOException {
        Path rootfs = work.resolve("rootfs");
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.setPosixFilePermissions(rootfs, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.copy(BUSYBOX, bin.resolve("busybox"));
        for (String dir : List.of("etc", "tmp", "root", "proc", "sys", "dev")) {
            Files.createDirectories(rootfs.resolve(dir));
        }
        check(List.of("chmod", "1777", rootfs.resolve("tmp").toString()));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n"
                + "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
        check(List.of("chroot", rootfs.toString(), "/bin/busybox", "--install", "-s", "/bin"));
        Path layout = work.resolve("layout");
        String image = layout + ":" + tag;
        check(List.of("umoci", "init", "--layout", layout.toString()));
        check(List.of("umoci", "new", "--image", image));
        check(List.of("umoci", "insert", "--image", image, rootfs.toString(), "/"));
        check(List.of("rm", "-rf", rootfs.toString()));
        return layout;
    }

    private static void check(List<String> command) throws IOException {
        ProcessRunner.check(command);
    }
}

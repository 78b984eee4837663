package io.k4j.kubelet.volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Upstream's hostPath type checks, with its messages; the *OrCreate types create what is missing. */
final class HostPathTypes {

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    private HostPathTypes() {
    }

    /** Checks (and for the *OrCreate types makes) {@code path}; throws with upstream's message when it is wrong. */
    static void check(Path path, String type) throws IOException, IllegalStateException {
        String kind = type == null ? "" : type;
        switch (kind) {
            case "" -> {
            }
            case "DirectoryOrCreate" -> {
                if (!Files.exists(path)) {
                    Files.createDirectories(path);
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    require(Files.isDirectory(path), path + " is not a directory");
                }
            }
            case "Directory" -> require(Files.isDirectory(path), path + " is not a directory");
            case "FileOrCreate" -> {
                if (!Files.exists(path)) {
                    Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
                } else {
                    require(Files.isRegularFile(path), path + " is not a file");
                }
            }
            case "File" -> require(Files.isRegularFile(path), path + " is not a file");
            case "Socket" -> require(fileType(path) == S_IFSOCK, path + " is not a socket file");
            case "CharDevice" -> require(fileType(path) == S_IFCHR, path + " is not a character device");
            case "BlockDevice" -> require(fileType(path) == S_IFBLK, path + " is not a block device");
            default -> throw new IllegalStateException(kind + " is an invalid volume type");
        }
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("hostPath type check failed: " + what);
        }
    }

    /** The S_IFMT bits of the file's mode (following links), or -1 when it does not exist. */
    private static int fileType(Path path) {
        try {
            return ((Integer) Files.getAttribute(path, "unix:mode")) & S_IFMT;
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}

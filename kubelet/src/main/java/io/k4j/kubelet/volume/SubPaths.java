package io.k4j.kubelet.volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/** A volumeMount's subPath inside its volume, checked and created as upstream's kubelet does. */
final class SubPaths {

    private SubPaths() {
    }

    /** The node path of {@code subPath} in {@code volume}, created as a directory (0750) when missing. */
    static Path resolve(Path volume, String subPath) throws IOException, IllegalArgumentException {
        validate(subPath);
        Path path = volume.resolve(subPath).normalize();
        Path existing = path;
        while (!Files.exists(existing)) {
            existing = existing.getParent();
        }
        // A symlink inside the volume (a container may write one) must not lead out of it, nor make us create there.
        requireWithin(existing, volume);
        if (!existing.equals(path)) {
            Files.createDirectories(path);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-x---"));
            requireWithin(path, volume);
        }
        return path;
    }

    private static void requireWithin(Path path, Path volume) throws IOException {
        if (!path.toRealPath().startsWith(volume.toRealPath())) {
            throw new IllegalArgumentException("subpath \"" + path.toRealPath() + "\" not within volume path \""
                    + volume.toRealPath() + "\"");
        }
    }

    /** Upstream's checks: relative, and no {@code ..} element. */
    static void validate(String subPath) {
        if (subPath.startsWith("/")) {
            throw new IllegalArgumentException("error SubPath `" + subPath + "` must not be an absolute path");
        }
        if (Arrays.asList(subPath.split("/")).contains("..")) {
            throw new IllegalArgumentException("unable to provision SubPath `" + subPath + "`: must not contain '..'");
        }
    }
}

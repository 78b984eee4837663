package io.k4j.kubelet.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.HexFormat;
import java.util.List;

/**
 * Sets extended attributes. The JDK reaches only the user namespace; overlayfs' opaque marker
 * (trusted.overlay.opaque) and file capabilities (security.capability) go through setfattr (package attr) or, where
 * that is missing, python3's os.setxattr.
 */
final class Xattrs {
    static final String OVERLAY_OPAQUE = "trusted.overlay.opaque";
    private static final String USER_PREFIX = "user.";

    private Xattrs() {
    }

    static void set(Path path, String name, byte[] value) throws IOException {
        if (name.startsWith(USER_PREFIX) && !Files.isSymbolicLink(path)) {
            Files.getFileAttributeView(path, UserDefinedFileAttributeView.class)
                    .write(name.substring(USER_PREFIX.length()), ByteBuffer.wrap(value));
            return;
        }
        if (Commands.installed("setfattr")) {
            Commands.check(List.of("setfattr", "-h", "-n", name, "-v", "0x" + HexFormat.of().formatHex(value),
                    path.toString()));
        } else if (Commands.installed("python3")) {
            Commands.check(List.of("python3", "-c",
                    "import os, sys; os.setxattr(sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3]),"
                            + " follow_symlinks=False)",
                    path.toString(), name, HexFormat.of().formatHex(value)));
        } else {
            throw new IOException("cannot set extended attribute " + name + " on " + path
                    + ": install setfattr (apt-get install attr)");
        }
    }
}

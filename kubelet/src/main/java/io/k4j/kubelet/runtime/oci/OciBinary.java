package io.k4j.kubelet.runtime.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The OCI runtime binary and how to call it: {@code executable} is what the runtime runs and what conmon is told to
 * run. runc is called as it is; crun refuses this machine's hybrid cgroup layout unless the cgroup2 mount is hidden,
 * so every crun call goes through a wrapper that unmounts it in a private mount namespace first.
 */
public record OciBinary(String name, Path executable) {

    /**
     * The runtime called {@code name} ("runc" or "crun") found on PATH; crun's wrapper goes into {@code wrapperDir}.
     */
    public static OciBinary named(String name, Path wrapperDir) throws IOException {
        if (!name.equals("runc") && !name.equals("crun")) {
            throw new IOException("unknown OCI runtime " + name + ": use runc or crun");
        }
        Path binary = onPath(name);
        if (binary == null) {
            throw new IOException("OCI runtime " + name + " not found on PATH");
        }
        return name.equals("runc") ? runc(binary) : crun(binary, wrapperDir);
    }

    /** {@code name}'s full path from PATH, or null. */
    public static Path onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name);
            }
        }
        return null;
    }

    public static OciBinary runc(Path runc) {
        return new OciBinary("runc", runc);
    }

    /** Writes the wrapper script into {@code wrapperDir} and calls crun through it. */
    public static OciBinary crun(Path crun, Path wrapperDir) throws IOException {
        Files.createDirectories(wrapperDir);
        Path wrapper = wrapperDir.resolve("crun-wrapper");
        String script = "#!/bin/sh\n"
                + "# crun refuses hybrid cgroups while cgroup2 carries a controller: hide that mount for this call only\n"
                + "exec unshare -m --propagation private sh -c "
                + "'umount /sys/fs/cgroup/unified 2>/dev/null; exec \"$0\" \"$@\"' " + crun + " \"$@\"\n";
        Files.writeString(wrapper, script);
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new OciBinary("crun", wrapper);
    }
}

package io.k4j.kubelet.runtime.oci;

import io.k4j.kubelet.runtime.ContainerConfig;
import java.nio.file.Path;

/**
 * A container as kept on disk (container.json in its directory). {@code finishedAt}, {@code exitCode} and
 * {@code oomKilled} are filled in once its exit is first seen, before its cgroup (holding the OOM count) goes.
 */
record ContainerRecord(String id, String sandboxId, ContainerConfig config, String directory, String cgroupPath,
        String createdAt, String startedAt, String finishedAt, Integer exitCode, boolean oomKilled) {

    Path dir() {
        return Path.of(directory);
    }

    Path rootfs() {
        return dir().resolve("rootfs");
    }

    Path exitFile() {
        return dir().resolve("exits").resolve(id);
    }

    Path conmonPidFile() {
        return dir().resolve("conmon.pid");
    }

    /** conmon's control fifo: "TYPE A B\n" lines, 1 resizes the terminal (height width), 2 reopens the log. */
    Path ctlFifo() {
        return dir().resolve("ctl");
    }

    ContainerRecord started(String at) {
        return new ContainerRecord(id, sandboxId, config, directory, cgroupPath, createdAt, at, finishedAt, exitCode,
                oomKilled);
    }

    ContainerRecord finished(String at, int code, boolean oom) {
        return new ContainerRecord(id, sandboxId, config, directory, cgroupPath, createdAt, startedAt, at, code, oom);
    }
}

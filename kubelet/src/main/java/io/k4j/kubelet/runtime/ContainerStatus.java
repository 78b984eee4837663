package io.k4j.kubelet.runtime;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A container as the runtime reports it.
 *
 * @param reason    for an exited container: "OOMKilled" when the memory limit killed it, else "Completed" (exit 0)
 *                  or "Error"
 * @param startedAt null until started; finishedAt null until exited
 */
public record ContainerStatus(String id, String sandboxId, String name, int attempt, State state, Instant createdAt,
        Instant startedAt, Instant finishedAt, int exitCode, String reason, String message, String imageId,
        String imageRef, Path logPath, Map<String, String> labels, Map<String, String> annotations) {

    public enum State { CREATED, RUNNING, EXITED, UNKNOWN }
}

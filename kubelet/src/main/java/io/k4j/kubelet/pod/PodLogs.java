package io.k4j.kubelet.pod;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Where container logs live: upstream's layout, LOGS_DIR/NAMESPACE_NAME_UID/CONTAINER/ATTEMPT.log. */
final class PodLogs {
    private PodLogs() {
    }

    static Path directory(Path logsDir, Pod pod) {
        var meta = pod.getMetadata();
        return logsDir.resolve(meta.getNamespace() + "_" + meta.getName() + "_" + meta.getUid());
    }

    /** Removes a pod's log directory once the pod is gone. */
    static void remove(Path logsDir, String uid) {
        if (!Files.isDirectory(logsDir)) {
            return;
        }
        try (Stream<Path> pods = Files.list(logsDir)) {
            for (Path dir : pods.filter(dir -> dir.getFileName().toString().endsWith("_" + uid)).toList()) {
                deleteTree(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

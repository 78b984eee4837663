package io.k4j.kubelet.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A container to create, fully resolved by the kubelet: the final argv (image entrypoint/cmd merged with the pod's
 * command/args, $(VAR) expanded), the final environment, mounts already prepared on the node.
 *
 * @param imageId      the image's id (sha256:... of its config), reported back in status
 * @param imageRef     the reference the pod asked for, reported back as the status' image
 * @param imageLayers  the image's unpacked layer directories, top layer first: the overlay's lower dirs
 * @param user         uid and gid to run as, resolved from securityContext or the image (null: root)
 * @param logPath      where the container's stdout and stderr go, in CRI log format
 */
public record ContainerConfig(String name, int attempt, String imageId, String imageRef, List<Path> imageLayers,
        List<String> argv, List<String> env, String workingDir, List<Mount> mounts, boolean tty, boolean stdin,
        boolean stdinOnce, User user, Security security, Resources resources, Path logPath,
        Map<String, String> labels, Map<String, String> annotations) {

    /** A bind mount of a node path (a volume's directory or a single file) into the container. */
    public record Mount(Path hostPath, String containerPath, boolean readOnly, String subPath) {
    }

    /** Numeric identity; a name from the image's /etc/passwd is resolved by the runtime (see {@code name}). */
    public record User(Long uid, Long gid, List<Long> supplementalGroups, String name) {
        public static final User IMAGE_DEFAULT = new User(null, null, List.of(), null);
    }

    /**
     * The securityContext, resolved.
     *
     * @param noNewPrivileges     !allowPrivilegeEscalation (true unless allowed or privileged)
     * @param seccompUnconfined   seccompProfile type Unconfined, or privileged; otherwise the runtime's default profile
     */
    public record Security(boolean privileged, boolean readOnlyRootFilesystem, boolean noNewPrivileges,
            List<String> addCapabilities, List<String> dropCapabilities, boolean seccompUnconfined) {
        public static final Security DEFAULT = new Security(false, false, false, List.of(), List.of(), false);
    }

    /**
     * Cgroup settings from resources.requests/limits; 0 means unset.
     *
     * @param cpuShares  from the cpu request (upstream: milli * 1024 / 1000, at least 2)
     * @param cpuQuota   from the cpu limit, microseconds per {@code cpuPeriod} (100000)
     */
    public record Resources(long cpuShares, long cpuQuota, long cpuPeriod, long memoryLimitBytes) {
        public static final Resources NONE = new Resources(0, 0, 0, 0);
    }
}

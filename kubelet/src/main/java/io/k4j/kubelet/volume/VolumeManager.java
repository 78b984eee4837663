package io.k4j.kubelet.volume;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.kubelet.container.ApiObjects;
import io.k4j.kubelet.container.Expansion;
import io.k4j.kubelet.runtime.ContainerConfig.Mount;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Sets up and tears down the volumes of the pods on this node, under {@code PODS_DIR/<uid>/volumes/<plugin>/<name>}
 * as upstream's kubelet lays them out, and turns a container's volumeMounts into bind mounts.
 *
 * <p>Memory-backed volumes (emptyDir medium Memory, secret, downwardAPI, projected) are tmpfs mounts when the
 * manager may mount (root); otherwise plain directories. configMap, secret, downwardAPI and projected files are
 * written atomically ({@link AtomicWriter}) and kept current by {@link #refresh}.
 */
public final class VolumeManager {

    public static final String DEFAULT_TERMINATION_MESSAGE_PATH = "/dev/termination-log";
    /** Upstream reads at most this many bytes of a termination message file. */
    static final int MAX_TERMINATION_MESSAGE = 4096;

    private final Path podsDir;
    private final InstantSource clock;
    private final ApiObjects objects;
    private final Projections projections;
    private final TokenCache tokens;
    private final boolean tmpfs;
    private final Supplier<Map<String, Quantity>> allocatable;
    /** One lock per pod: mount, refresh and unmount of the same pod never interleave. */
    private final ConcurrentHashMap<String, Object> podLocks = new ConcurrentHashMap<>();

    private VolumeManager(Builder builder) {
        this.podsDir = Objects.requireNonNull(builder.podsDir, "podsDir");
        this.clock = builder.clock;
        this.objects = Objects.requireNonNull(builder.objects, "client or objects");
        this.tokens = new TokenCache(Objects.requireNonNull(builder.tokens, "tokenSource"), clock);
        this.projections = new Projections(objects, tokens, builder.allocatable);
        this.tmpfs = builder.tmpfs;
        this.allocatable = builder.allocatable;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Prepares every volume of the pod; returns each volume's node path by name (in the pod's order). */
    public Map<String, Path> mount(Pod pod) throws VolumeException {
        synchronized (lock(pod.getMetadata().getUid())) {
            Map<String, Path> paths = new LinkedHashMap<>();
            for (Volume volume : volumes(pod)) {
                paths.put(volume.getName(), mount(pod, volume));
            }
            return paths;
        }
    }

    private Object lock(String podUid) {
        return podLocks.computeIfAbsent(podUid, uid -> new Object());
    }

    private Path mount(Pod pod, Volume volume) throws VolumeException {
        String name = volume.getName();
        try {
            if (volume.getEmptyDir() != null) {
                return emptyDir(pod, volume);
            }
            if (volume.getHostPath() != null) {
                Path path = Path.of(volume.getHostPath().getPath());
                HostPathTypes.check(path, volume.getHostPath().getType());
                return path;
            }
            if (volume.getPersistentVolumeClaim() != null) {
                return ClaimPaths.resolve(objects, pod.getMetadata().getNamespace(),
                        volume.getPersistentVolumeClaim().getClaimName(), name);
            }
            if (Projections.isProjected(volume)) {
                Path dir = volumeDir(pod, volume);
                createDir(dir, 0755);
                if (volume.getConfigMap() == null) {
                    mountTmpfs(dir, MemorySizes.tmpfsSize(pod, null, allocatable.get()));
                }
                new AtomicWriter(dir, clock).write(projections.payload(pod, volume));
                return dir;
            }
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            throw new VolumeException(name, String.valueOf(e.getMessage()), e);
        }
        throw new VolumeException(name, "volume " + name + " has a type k4j does not support (supported: emptyDir, "
                + "hostPath, configMap, secret, downwardAPI, projected, persistentVolumeClaim)");
    }

    private Path emptyDir(Pod pod, Volume volume) throws IOException, VolumeException {
        EmptyDirVolumeSource source = volume.getEmptyDir();
        String medium = source.getMedium() == null ? "" : source.getMedium();
        if (!medium.isEmpty() && !medium.equals("Memory")) {
            throw new VolumeException(volume.getName(), "unknown storage medium \"" + medium + "\"");
        }
        Path dir = volumeDir(pod, volume);
        createDir(dir, 0777);
        if (medium.equals("Memory")) {
            mountTmpfs(dir, MemorySizes.tmpfsSize(pod, source.getSizeLimit(), allocatable.get()));
        }
        Files.setPosixFilePermissions(dir, AtomicWriter.permissions(0777));
        return dir;
    }

    private void mountTmpfs(Path dir, long size) throws IOException {
        if (tmpfs) {
            Tmpfs.mount(dir, size);
        }
    }

    /**
     * Rewrites the configMap, secret, downwardAPI and projected volumes of a mounted pod whose content changed
     * (service-account tokens once 80% of their lifetime has passed). A volume that fails keeps its old files; the
     * first failure is thrown after the others were refreshed.
     */
    public void refresh(Pod pod) throws VolumeException {
        synchronized (lock(pod.getMetadata().getUid())) {
            refreshLocked(pod);
        }
    }

    private void refreshLocked(Pod pod) throws VolumeException {
        VolumeException first = null;
        for (Volume volume : volumes(pod)) {
            Path dir = volumeDir(pod, volume);
            if (!Projections.isProjected(volume) || !Files.isDirectory(dir)) {
                continue;
            }
            try {
                new AtomicWriter(dir, clock).write(projections.payload(pod, volume));
            } catch (VolumeException e) {
                first = first == null ? e : first;
            } catch (IOException | IllegalArgumentException e) {
                first = first == null ? new VolumeException(volume.getName(), String.valueOf(e.getMessage()), e) : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Tears down a pod's volumes: unmounts its tmpfs mounts and removes {@code PODS_DIR/<uid>/volumes} and the
     * termination-message files (hostPath and persistent volume data stay where they are, outside that directory).
     */
    public void unmount(String podUid) throws VolumeException {
        synchronized (lock(podUid)) {
            unmountLocked(podUid);
        }
        podLocks.remove(podUid);
    }

    private void unmountLocked(String podUid) throws VolumeException {
        tokens.forget(podUid);
        Path podDir = podsDir.resolve(podUid);
        Path volumesDir = podDir.resolve("volumes");
        try {
            for (Path mountPoint : Tmpfs.mountsUnder(volumesDir)) {
                Tmpfs.unmount(mountPoint);
            }
            if (!Tmpfs.mountsUnder(volumesDir).isEmpty()) {
                throw new VolumeException(null, "mounts remain under " + volumesDir);
            }
            AtomicWriter.deleteRecursively(volumesDir);
            AtomicWriter.deleteRecursively(podDir.resolve("containers"));
            try {
                java.nio.file.Files.deleteIfExists(podDir);
            } catch (java.nio.file.DirectoryNotEmptyException someoneElsesFiles) {
                // left for whoever put them there
            }
        } catch (IOException e) {
            throw new VolumeException(null, "cannot clean up the volumes of pod " + podUid + ": " + e.getMessage(), e);
        }
    }

    /** {@link #mountsFor(Pod, Container, Map, Map)} for a container without subPathExpr. */
    public List<Mount> mountsFor(Pod pod, Container container, Map<String, Path> volumes) throws VolumeException {
        return mountsFor(pod, container, volumes, Map.of());
    }

    /**
     * The bind mounts of a container: its volumeMounts (subPath checked and created, subPathExpr expanded against
     * {@code env}; configMap, secret, downwardAPI and projected volumes always read-only) and a fresh
     * termination-message file at its terminationMessagePath. Each mount's hostPath is the final node path (the
     * subPath already resolved); its subPath is informational.
     */
    public List<Mount> mountsFor(Pod pod, Container container, Map<String, Path> volumes, Map<String, String> env)
            throws VolumeException {
        Map<String, Volume> byName = new HashMap<>();
        volumes(pod).forEach(volume -> byName.put(volume.getName(), volume));
        List<Mount> mounts = new ArrayList<>();
        for (VolumeMount mount : container.getVolumeMounts() == null ? List.<VolumeMount>of() : container.getVolumeMounts()) {
            Path host = volumes.get(mount.getName());
            if (host == null) {
                throw new VolumeException(mount.getName(), "cannot find volume \"" + mount.getName()
                        + "\" to mount into container \"" + container.getName() + "\"");
            }
            String subPath = subPath(mount, env);
            if (!subPath.isEmpty()) {
                try {
                    host = SubPaths.resolve(host, subPath);
                } catch (IOException | IllegalArgumentException e) {
                    throw new VolumeException(mount.getName(), String.valueOf(e.getMessage()), e);
                }
            }
            boolean readOnly = Boolean.TRUE.equals(mount.getReadOnly()) || readOnlyVolume(byName.get(mount.getName()));
            mounts.add(new Mount(host, mount.getMountPath(), readOnly, subPath.isEmpty() ? null : subPath));
        }
        terminationLog(pod, container).ifPresent(mounts::add);
        return mounts;
    }

    private static String subPath(VolumeMount mount, Map<String, String> env) {
        if (mount.getSubPathExpr() != null && !mount.getSubPathExpr().isEmpty()) {
            return Expansion.expand(mount.getSubPathExpr(), env);
        }
        return mount.getSubPath() == null ? "" : mount.getSubPath();
    }

    private static boolean readOnlyVolume(Volume volume) {
        return volume != null && (Projections.isProjected(volume) || (volume.getPersistentVolumeClaim() != null
                && Boolean.TRUE.equals(volume.getPersistentVolumeClaim().getReadOnly())));
    }

    /** A new empty file (0666) for this container instance's termination message, as upstream makes one per start. */
    private Optional<Mount> terminationLog(Pod pod, Container container) throws VolumeException {
        String path = container.getTerminationMessagePath() == null ? DEFAULT_TERMINATION_MESSAGE_PATH
                : container.getTerminationMessagePath();
        if (path.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path dir = containerDir(pod.getMetadata().getUid(), container.getName());
            Files.createDirectories(dir);
            Path file = dir.resolve(String.format("%08x", ThreadLocalRandom.current().nextInt()));
            Files.deleteIfExists(file);
            Files.createFile(file);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
            return Optional.of(new Mount(file, path, false, null));
        } catch (IOException e) {
            throw new VolumeException(null, "cannot create the termination log of container " + container.getName()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * What the newest instance of a container wrote to its terminationMessagePath (at most 4096 bytes), if anything;
     * empty when the file is empty or gone.
     */
    public Optional<String> terminationMessage(String podUid, String containerName) {
        Path dir = containerDir(podUid, containerName);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            Optional<Path> newest = files.filter(Files::isRegularFile)
                    .max(Comparator.comparing(VolumeManager::modified));
            if (newest.isEmpty()) {
                return Optional.empty();
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(newest.get())) {
                bytes = in.readNBytes(MAX_TERMINATION_MESSAGE);
            }
            return bytes.length == 0 ? Optional.empty() : Optional.of(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private Path containerDir(String podUid, String containerName) {
        return podsDir.resolve(podUid).resolve("containers").resolve(containerName);
    }

    /** Upstream's directory for a volume: volumes/kubernetes.io~PLUGIN/NAME. */
    private Path volumeDir(Pod pod, Volume volume) {
        return podsDir.resolve(pod.getMetadata().getUid()).resolve("volumes").resolve(plugin(volume))
                .resolve(volume.getName());
    }

    private static String plugin(Volume volume) {
        if (volume.getEmptyDir() != null) {
            return "kubernetes.io~empty-dir";
        }
        if (volume.getConfigMap() != null) {
            return "kubernetes.io~configmap";
        }
        if (volume.getSecret() != null) {
            return "kubernetes.io~secret";
        }
        if (volume.getDownwardAPI() != null) {
            return "kubernetes.io~downward-api";
        }
        if (volume.getProjected() != null) {
            return "kubernetes.io~projected";
        }
        return "kubernetes.io~other";
    }

    private static void createDir(Path dir, int mode) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, AtomicWriter.permissions(mode));
        }
    }

    private static List<Volume> volumes(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
    }

    public static final class Builder {
        private Path podsDir;
        private InstantSource clock = InstantSource.system();
        private ApiObjects objects;
        private TokenSource tokens;
        private Supplier<Map<String, Quantity>> allocatable = Map::of;
        private boolean tmpfs = isRoot();

        /** Reads ConfigMaps, Secrets, claims and volumes through this client and requests tokens with it. */
        public Builder client(KubernetesClient client) {
            this.objects = ApiObjects.of(client);
            if (tokens == null) {
                tokens = TokenSource.of(client);
            }
            return this;
        }

        /** Where objects come from instead of the client's reads (informer caches, say). */
        public Builder objects(ApiObjects objects) {
            this.objects = objects;
            return this;
        }

        public Builder tokenSource(TokenSource tokens) {
            this.tokens = tokens;
            return this;
        }

        /** The kubelet's pods directory, such as DATA_DIR/agent/pods. */
        public Builder podsDir(Path podsDir) {
            this.podsDir = podsDir;
            return this;
        }

        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        /** The node's allocatable resources, for downward API limits a container does not set. */
        public Builder nodeAllocatable(Supplier<Map<String, Quantity>> allocatable) {
            this.allocatable = allocatable;
            return this;
        }

        /** Whether memory-backed volumes are tmpfs mounts (default: when running as root). */
        public Builder tmpfs(boolean tmpfs) {
            this.tmpfs = tmpfs;
            return this;
        }

        public VolumeManager build() {
            return new VolumeManager(this);
        }

        private static boolean isRoot() {
            try {
                return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
    }
}

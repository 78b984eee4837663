package io.k4j.kubelet.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.k4j.kubelet.image.Image;
import io.k4j.kubelet.image.ImageService;
import io.k4j.kubelet.pod.ContainerProbes;
import io.k4j.kubelet.pod.LifecycleHooks;
import io.k4j.kubelet.prober.HookResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Stand-ins for the kubelet's collaborators that its pod logic tests do not exercise. */
public final class FakeNodeParts {

    private FakeNodeParts() {
    }

    /** Every reference is present, except those listed as missing (pulls of which fail). */
    public static final class Images implements ImageService {
        public final Set<String> missing = ConcurrentHashMap.newKeySet();

        @Override
        public Optional<Image> find(String reference) {
            return missing.contains(reference) ? Optional.empty() : Optional.of(image(reference));
        }

        @Override
        public Image pull(String reference, List<RegistryCredential> credentials)
                throws io.k4j.kubelet.image.ImagePullException {
            if (missing.contains(reference)) {
                throw new io.k4j.kubelet.image.ImagePullException("manifest unknown", true, null);
            }
            return image(reference);
        }

        private static Image image(String reference) {
            return new Image("sha256:" + Integer.toHexString(reference.hashCode()), List.of(reference), List.of(), 1234,
                    List.of(), new Image.ImageConfig(List.of(), List.of("sleep", "infinity"), List.of("PATH=/bin"), "/",
                            "", null));
        }

        @Override
        public List<Image> list() {
            return List.of();
        }

        @Override
        public List<Image> importArchive(Path tar) {
            return List.of();
        }

        @Override
        public void remove(String imageId) {
        }

        @Override
        public List<Path> layerDirectories(Image image) {
            return List.of();
        }

        @Override
        public long diskUsage() {
            return 0;
        }
    }

    /** Like the real prober without probes: a container is ready once added (unless listed as unready). */
    public static final class Probes implements ContainerProbes {
        public final Set<String> unready = ConcurrentHashMap.newKeySet();
        private final Set<String> added = ConcurrentHashMap.newKeySet();

        @Override
        public void add(Pod pod, Container container, String containerId, String podIp, Instant startedAt) {
            added.add(containerId);
        }

        @Override
        public void remove(String containerId) {
            added.remove(containerId);
        }

        @Override
        public void removePod(String podUid) {
        }

        @Override
        public void podTerminating(String podUid) {
        }

        @Override
        public boolean ready(String containerId) {
            return added.contains(containerId) && !unready.contains(containerId);
        }

        @Override
        public boolean started(String containerId) {
            return added.contains(containerId);
        }
    }

    /** Every hook succeeds at once. */
    public static final class Hooks implements LifecycleHooks {
        @Override
        public HookResult postStart(Pod pod, Container container, String containerId, String podIp, Duration timeout) {
            return new HookResult(true, null, false);
        }

        @Override
        public HookResult preStop(Pod pod, Container container, String containerId, String podIp, Duration grace) {
            return new HookResult(true, null, false);
        }
    }
}

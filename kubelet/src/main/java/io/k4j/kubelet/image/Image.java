package io.k4j.kubelet.image;

import java.util.List;

/**
 * An image in the store.
 *
 * @param id           sha256:... of the image config
 * @param repoTags     e.g. docker.io/library/busybox:1.36
 * @param repoDigests  e.g. docker.io/library/busybox@sha256:...
 * @param size         bytes of its compressed layers (what a pull transfers)
 */
public record Image(String id, List<String> repoTags, List<String> repoDigests, long size, List<String> layerDigests,
        ImageConfig config) {

    /** The parts of the image config a container is built from. */
    public record ImageConfig(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir,
            String user, String stopSignal) {
    }
}

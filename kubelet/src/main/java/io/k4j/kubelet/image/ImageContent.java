package io.k4j.kubelet.image;

import java.nio.file.Path;
import java.util.List;

/**
 * An image's files on their way into the store (from a pull or an archive), before they are moved into it.
 *
 * @param manifest       the manifest file, or null (docker-archive has none)
 * @param manifestDigest its digest, or null
 * @param layers         bottom first
 */
record ImageContent(Path config, String configDigest, Path manifest, String manifestDigest, List<Blob> layers) {

    /** A layer blob: its file, its digest and its size in bytes. */
    record Blob(Path file, String digest, long size) {
    }
}

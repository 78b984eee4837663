package io.k4j.kubelet.image;

import java.util.List;

/**
 * What the store keeps about an image in images/&lt;id&gt;.json.
 *
 * @param layers  the layers' blob digests (compressed, as the manifest lists them), bottom first
 * @param diffIds the layers' uncompressed digests, bottom first: the names of their unpacked directories
 */
record StoredImage(String id, List<String> repoTags, List<String> repoDigests, long size, List<String> layers,
        List<String> diffIds, String manifestDigest, Image.ImageConfig config) {

    Image toImage() {
        return new Image(id, repoTags, repoDigests, size, layers, config);
    }

    StoredImage withNames(List<String> tags, List<String> digests) {
        return new StoredImage(id, List.copyOf(tags), List.copyOf(digests), size, layers, diffIds, manifestDigest,
                config);
    }
}

package io.k4j.kubelet.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/** Reads image manifests (OCI and docker schema 2) into {@link ImageContent}. */
final class Manifests {
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    private Manifests() {
    }

    /**
     * The content a manifest file names; {@code blobFile} says where each digest's file is.
     *
     * @throws IOException for an index or an unknown manifest, or a missing blob
     */
    static ImageContent read(Path manifest, Function<String, Path> blobFile) throws IOException {
        JsonNode root = ImageStore.readJson(manifest, "image manifest");
        String mediaType = root.path("mediaType").asString("");
        if (isIndex(root)) {
            throw new IOException("expected an image manifest, got an index (" + mediaType + ")");
        }
        if (root.path("schemaVersion").asInt() != 2 || !root.path("config").isObject()) {
            throw new IOException("unsupported image manifest (schema " + root.path("schemaVersion").asInt()
                    + (mediaType.isEmpty() ? "" : ", " + mediaType) + ")");
        }
        String configDigest = root.path("config").path("digest").asString();
        List<ImageContent.Blob> layers = new ArrayList<>();
        for (JsonNode layer : root.path("layers")) {
            String digest = layer.path("digest").asString();
            layers.add(new ImageContent.Blob(existing(blobFile.apply(digest), digest), digest,
                    layer.path("size").asLong()));
        }
        return new ImageContent(existing(blobFile.apply(configDigest), configDigest), configDigest, manifest,
                Digests.of(manifest), List.copyOf(layers));
    }

    static boolean isIndex(JsonNode root) {
        String mediaType = root.path("mediaType").asString("");
        return mediaType.equals(OCI_INDEX) || mediaType.equals(DOCKER_LIST)
                || (mediaType.isEmpty() && root.path("manifests").isArray() && !root.path("config").isObject());
    }

    private static Path existing(Path file, String digest) throws IOException {
        Digests.hex(digest);
        if (file == null || !Files.isRegularFile(file)) {
            throw new IOException("blob " + digest + " is missing");
        }
        return file;
    }
}

package io.k4j.kubelet.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The node's images: pulled from registries (or imported from archives) into a content-addressed store in which
 * each layer is unpacked once and shared by every image that has it.
 */
public interface ImageService {

    /** The image a reference names (tag, digest or id), if present; a reference without a tag means :latest. */
    Optional<Image> find(String reference);

    /**
     * Pulls an image; credentials are tried in order (from imagePullSecrets), then anonymous. Registries on loopback
     * and the registries config's insecure ones are reached over plain http.
     */
    Image pull(String reference, List<RegistryCredential> credentials) throws ImagePullException;

    List<Image> list();

    /** Loads every image of an OCI layout or docker-archive tar (docker save, skopeo copy docker-archive:). */
    List<Image> importArchive(Path tar) throws IOException;

    /** Removes an image; its layers go when no other image uses them. */
    void remove(String imageId) throws IOException;

    /** The unpacked layer directories of an image, top layer first, to use as overlay lower dirs. */
    List<Path> layerDirectories(Image image);

    /** Bytes the store uses on disk (for image garbage collection). */
    long diskUsage();

    /** A username and password for one registry host (from a dockerconfigjson pull secret). */
    record RegistryCredential(String registry, String username, String password) {
        /** Without the password: credentials end up in log lines and exception messages. */
        @Override
        public String toString() {
            return "RegistryCredential[registry=" + registry + ", username=" + username + "]";
        }
    }
}

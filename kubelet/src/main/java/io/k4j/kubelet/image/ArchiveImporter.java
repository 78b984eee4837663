package io.k4j.kubelet.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads image archives: an OCI layout in a tar (oci-layout, index.json, blobs/sha256/…) or a docker-archive
 * (docker save / skopeo docker-archive: manifest.json listing Config, RepoTags and Layers).
 */
final class ArchiveImporter {
    private static final String OCI_REF_NAME = "org.opencontainers.image.ref.name";
    private static final String CONTAINERD_NAME = "io.containerd.image.name";

    /** One image of the archive and the names it comes with. */
    record ArchivedImage(ImageContent content, List<String> repoTags, List<String> repoDigests) {
    }

    private ArchiveImporter() {
    }

    /** Extracts {@code tar} into {@code work} and lists the images in it. */
    static List<ArchivedImage> read(Path tar, Path work) throws IOException {
        if (!Files.isRegularFile(tar)) {
            throw new IOException(tar + ": no such file");
        }
        extract(tar, work);
        if (Files.isRegularFile(work.resolve("oci-layout")) && Files.isRegularFile(work.resolve("index.json"))) {
            return readOciLayout(work);
        }
        if (Files.isRegularFile(work.resolve("manifest.json"))) {
            return readDockerArchive(work);
        }
        throw new IOException(tar + " is neither an OCI layout nor a docker-archive (it has no oci-layout and "
                + "index.json, and no manifest.json)");
    }

    /** Only regular files and directories: archives of images need no more, and nothing lands outside work. */
    private static void extract(Path tar, Path work) throws IOException {
        try (InputStream in = open(tar)) {
            TarReader reader = new TarReader(in);
            TarEntry entry;
            while ((entry = reader.next()) != null) {
                String relative = LayerUnpacker.relativePath(entry.name());
                if (relative.isEmpty()) {
                    continue;
                }
                Path path = work.resolve(relative);
                if (entry.type() == TarEntry.Type.DIRECTORY) {
                    Files.createDirectories(path);
                } else if (entry.type() == TarEntry.Type.FILE) {
                    Files.createDirectories(path.getParent());
                    try (InputStream content = reader.content()) {
                        Files.copy(content, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                } else if (entry.type() == TarEntry.Type.SYMLINK || entry.type() == TarEntry.Type.HARDLINK) {
                    // docker save links identical layers to each other: copy the target instead.
                    Path target = entry.type() == TarEntry.Type.HARDLINK
                            ? work.resolve(LayerUnpacker.relativePath(entry.linkName()))
                            : path.getParent().resolve(entry.linkName()).normalize();
                    if (!target.startsWith(work) || !Files.isRegularFile(target)) {
                        throw new IOException("archive entry " + entry.name() + " links outside the archive");
                    }
                    Files.createDirectories(path.getParent());
                    Files.copy(target, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static InputStream open(Path tar) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(tar), 1 << 16);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return first == 0x1f && second == 0x8b ? new java.util.zip.GZIPInputStream(in, 1 << 16) : in;
    }

    private static List<ArchivedImage> readOciLayout(Path layout) throws IOException {
        JsonNode index = ImageStore.readJson(layout.resolve("index.json"), "index.json");
        List<ArchivedImage> images = new ArrayList<>();
        for (JsonNode descriptor : index.path("manifests")) {
            Path manifest = blob(layout, descriptor.path("digest").asString());
            Optional<ImageReference> name = imageName(descriptor.path("annotations"));
            JsonNode manifestJson = ImageStore.readJson(manifest, "manifest " + descriptor.path("digest").asString());
            String manifestDigest = descriptor.path("digest").asString();
            if (Manifests.isIndex(manifestJson)) {
                // A multi-platform image: take this machine's platform.
                JsonNode chosen = choosePlatform(manifestJson);
                manifest = blob(layout, chosen.path("digest").asString());
            }
            ImageContent content = Manifests.read(manifest, digest -> blobOrNull(layout, digest));
            List<String> tags = name.map(ImageReference::tagged).stream().toList();
            List<String> digests = name.map(ref -> ref.withDigest(manifestDigest)).stream().toList();
            images.add(new ArchivedImage(content, tags, digests));
        }
        if (images.isEmpty()) {
            throw new IOException("the OCI layout's index.json lists no images");
        }
        return images;
    }

    /** An image name from an annotation; a bare tag ("latest") names no repository, so no name. */
    private static Optional<ImageReference> imageName(JsonNode annotations) {
        for (String key : List.of(CONTAINERD_NAME, OCI_REF_NAME)) {
            String value = annotations.path(key).asString("");
            if (value.contains("/") || value.contains(":") || value.contains("@")) {
                try {
                    return Optional.of(ImageReference.parse(value));
                } catch (IllegalArgumentException e) {
                    // not a reference: keep looking
                }
            }
        }
        return Optional.empty();
    }

    private static JsonNode choosePlatform(JsonNode index) throws IOException {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> System.getProperty("os.arch");
        };
        for (JsonNode manifest : index.path("manifests")) {
            JsonNode platform = manifest.path("platform");
            if (platform.path("os").asString("linux").equals("linux")
                    && platform.path("architecture").asString(arch).equals(arch)) {
                return manifest;
            }
        }
        throw new IOException("the archive has no image for linux/" + arch);
    }

    private static List<ArchivedImage> readDockerArchive(Path dir) throws IOException {
        JsonNode manifest = ImageStore.readJson(dir.resolve("manifest.json"), "manifest.json");
        if (!manifest.isArray() || manifest.isEmpty()) {
            throw new IOException("manifest.json lists no images");
        }
        List<ArchivedImage> images = new ArrayList<>();
        for (JsonNode entry : manifest) {
            Path config = inside(dir, entry.path("Config").asString(""));
            List<ImageContent.Blob> layers = new ArrayList<>();
            for (JsonNode layer : entry.path("Layers")) {
                Path file = inside(dir, layer.asString());
                layers.add(new ImageContent.Blob(file, Digests.of(file), Files.size(file)));
            }
            List<String> tags = new ArrayList<>();
            for (JsonNode tag : entry.path("RepoTags")) {
                String tagged = ImageReference.parse(tag.asString()).tagged();
                if (tagged != null) {
                    tags.add(tagged);
                }
            }
            images.add(new ArchivedImage(new ImageContent(config, Digests.of(config), null, null, List.copyOf(layers)),
                    List.copyOf(tags), List.of()));
        }
        return images;
    }

    private static Path inside(Path dir, String relative) throws IOException {
        Path file = dir.resolve(LayerUnpacker.relativePath(relative));
        if (relative.isEmpty() || !Files.isRegularFile(file)) {
            throw new IOException("the archive lacks " + (relative.isEmpty() ? "an entry manifest.json names" : relative));
        }
        return file;
    }

    private static Path blob(Path layout, String digest) throws IOException {
        Path file = blobOrNull(layout, digest);
        if (file == null || !Files.isRegularFile(file)) {
            throw new IOException("the OCI layout lacks blob " + digest);
        }
        return file;
    }

    private static Path blobOrNull(Path layout, String digest) {
        try {
            return layout.resolve("blobs/sha256").resolve(Digests.hex(digest));
        } catch (IOException e) {
            return null;
        }
    }
}

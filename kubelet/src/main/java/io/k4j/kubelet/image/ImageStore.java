package io.k4j.kubelet.image;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The files of the image store under its root:
 * <pre>
 * blobs/sha256/HEX      manifests, configs and compressed layers, by digest
 * layers/sha256/HEX     each layer unpacked once, by diffID (an overlayfs lower dir)
 * images/HEX.json       one per image, by image id (the config digest)
 * tmp/                  pulls, imports and unpacks in progress (emptied on start)
 * </pre>
 * Adding images takes a shared lock and removing them an exclusive one, so a removal never deletes a layer that a
 * concurrent pull is about to reference.
 */
final class ImageStore {
    private static final Logger log = LoggerFactory.getLogger(ImageStore.class);
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path root;
    private final Path blobs;
    private final Path layers;
    private final Path images;
    private final Path tmp;
    private final LayerUnpacker unpacker = new LayerUnpacker();
    private final ReadWriteLock contentLock = new ReentrantReadWriteLock();
    private final Object metadataLock = new Object();
    private final ConcurrentHashMap<String, Object> layerLocks = new ConcurrentHashMap<>();

    ImageStore(Path root) throws IOException {
        this.root = root;
        this.blobs = Files.createDirectories(root.resolve("blobs/sha256"));
        this.layers = Files.createDirectories(root.resolve("layers/sha256"));
        this.images = Files.createDirectories(root.resolve("images"));
        this.tmp = root.resolve("tmp").resolve(Long.toString(ProcessHandle.current().pid()));
        deleteLeftovers(tmp.getParent());
        Files.createDirectories(tmp);
    }

    /** Work a crashed process left half done; each process works in tmp/PID, so a live one's work stays. */
    private static void deleteLeftovers(Path tmpRoot) throws IOException {
        if (!Files.isDirectory(tmpRoot)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmpRoot)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                boolean alive = name.matches("[0-9]+") && ProcessHandle.of(Long.parseLong(name)).isPresent()
                        && Long.parseLong(name) != ProcessHandle.current().pid();
                if (!alive) {
                    FileTrees.delete(entry);
                }
            }
        }
    }

    Path root() {
        return root;
    }

    /** A new private directory for work in progress, on the store's filesystem (so moves are renames). */
    Path newTempDirectory(String prefix) throws IOException {
        return Files.createDirectory(tmp.resolve(prefix + UUID.randomUUID()));
    }

    Path layerDirectory(String diffId) throws IOException {
        return layers.resolve(Digests.hex(diffId));
    }

    /**
     * Moves an image's blobs in, unpacks the layers it does not have yet and records the image under the given
     * names (which leave any other image that had them).
     */
    StoredImage add(ImageContent content, List<String> repoTags, List<String> repoDigests) throws IOException {
        contentLock.readLock().lock();
        try {
            String configDigest = Digests.of(present(content.config(), content.configDigest()));
            if (!configDigest.equals(content.configDigest())) {
                throw new IOException("image config does not match its digest " + content.configDigest());
            }
            JsonNode config = readJson(present(content.config(), configDigest), "image config");
            List<String> diffIds = new ArrayList<>();
            for (JsonNode diffId : config.path("rootfs").path("diff_ids")) {
                diffIds.add(diffId.asString());
            }
            if (diffIds.size() != content.layers().size()) {
                throw new IOException("the image config lists " + diffIds.size() + " layers but the manifest has "
                        + content.layers().size());
            }
            storeBlob(content.config(), configDigest);
            if (content.manifest() != null) {
                storeBlob(content.manifest(), content.manifestDigest());
            }
            long size = 0;
            List<String> layerDigests = new ArrayList<>();
            for (int i = 0; i < diffIds.size(); i++) {
                ImageContent.Blob layer = content.layers().get(i);
                Path blob = storeBlob(layer.file(), layer.digest());
                unpackOnce(blob, layer.digest(), diffIds.get(i));
                size += layer.size();
                layerDigests.add(layer.digest());
            }
            StoredImage image = new StoredImage(configDigest, List.of(), List.of(), size, layerDigests,
                    List.copyOf(diffIds), content.manifestDigest(), ImageConfigs.from(config));
            return record(image, repoTags, repoDigests);
        } finally {
            contentLock.readLock().unlock();
        }
    }

    /** Moves a blob in unless the store has it (then the caller's copy stays, to be deleted with its work dir). */
    private Path storeBlob(Path file, String digest) throws IOException {
        Path target = blobs.resolve(Digests.hex(digest));
        if (!Files.exists(target)) {
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /** The blob's file, or the store's copy when an earlier image of the same archive moved it in already. */
    private Path present(Path file, String digest) throws IOException {
        return Files.exists(file) ? file : blobs.resolve(Digests.hex(digest));
    }

    private void unpackOnce(Path blob, String blobDigest, String diffId) throws IOException {
        Path target = layerDirectory(diffId);
        if (Files.isDirectory(target)) {
            return;
        }
        synchronized (layerLocks.computeIfAbsent(diffId, ignored -> new Object())) {
            if (Files.isDirectory(target)) {
                return;
            }
            Path unpacking = newTempDirectory("layer-");
            try {
                String actual;
                try (var in = LayerUnpacker.openLayer(blob)) {
                    actual = unpacker.unpack(in, unpacking);
                }
                if (!actual.equals(diffId)) {
                    throw new IOException("layer " + blobDigest + " unpacks to " + actual
                            + ", not the diff id " + diffId + " its image config says");
                }
                LayerUnpacker.publish(unpacking, target);
                log.debug("Unpacked layer {} into {}", blobDigest, target);
            } catch (IOException | RuntimeException e) {
                FileTrees.delete(unpacking);
                throw e;
            }
        }
    }

    /**
     * Gives an image the store has more names (a pull that found nothing new to fetch); empty if the image went
     * in the meantime.
     */
    Optional<StoredImage> addNames(StoredImage image, List<String> repoTags, List<String> repoDigests)
            throws IOException {
        contentLock.readLock().lock();
        try {
            synchronized (metadataLock) {
                if (read(image.id()).isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(record(image, repoTags, repoDigests));
            }
        } finally {
            contentLock.readLock().unlock();
        }
    }

    /** Writes an image's record, merging names with what the store had and taking its tags from other images. */
    private StoredImage record(StoredImage image, List<String> repoTags, List<String> repoDigests) throws IOException {
        synchronized (metadataLock) {
            Set<String> tags = new LinkedHashSet<>();
            Set<String> digests = new LinkedHashSet<>();
            Optional<StoredImage> existing = read(image.id());
            existing.ifPresent(old -> {
                tags.addAll(old.repoTags());
                digests.addAll(old.repoDigests());
            });
            tags.addAll(repoTags);
            digests.addAll(repoDigests);
            for (StoredImage other : all()) {
                if (!other.id().equals(image.id()) && other.repoTags().stream().anyMatch(repoTags::contains)) {
                    List<String> remaining = other.repoTags().stream().filter(tag -> !repoTags.contains(tag)).toList();
                    write(other.withNames(remaining, other.repoDigests()));
                }
            }
            StoredImage named = image.withNames(List.copyOf(tags), List.copyOf(digests));
            write(named);
            return named;
        }
    }

    List<StoredImage> all() throws IOException {
        List<StoredImage> all = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(images, "*.json")) {
            for (Path file : files) {
                try {
                    all.add(JSON.readValue(file.toFile(), StoredImage.class));
                } catch (JacksonException e) {
                    log.warn("Ignoring unreadable image record {}: {}", file, e.getOriginalMessage());
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of();
        }
        all.sort(java.util.Comparator.comparing(StoredImage::id));
        return all;
    }

    Optional<StoredImage> read(String id) throws IOException {
        Path file = images.resolve(Digests.hex(id) + ".json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), StoredImage.class));
        } catch (JacksonException e) {
            throw new IOException("unreadable image record " + file + ": " + e.getOriginalMessage());
        }
    }

    private void write(StoredImage image) throws IOException {
        Path file = images.resolve(Digests.hex(image.id()) + ".json");
        Path partial = tmp.resolve("image-" + UUID.randomUUID() + ".json");
        try {
            JSON.writeValue(partial.toFile(), image);
        } catch (JacksonException e) {
            throw new IOException("cannot write " + file + ": " + e.getOriginalMessage());
        }
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes an image, then every blob and layer no remaining image uses. */
    void remove(String id) throws IOException {
        contentLock.writeLock().lock();
        try {
            synchronized (metadataLock) {
                Files.deleteIfExists(images.resolve(Digests.hex(id) + ".json"));
                prune();
            }
        } finally {
            contentLock.writeLock().unlock();
        }
    }

    private void prune() throws IOException {
        Set<String> usedBlobs = new HashSet<>();
        Set<String> usedLayers = new HashSet<>();
        for (StoredImage image : all()) {
            usedBlobs.add(Digests.hex(image.id()));
            if (image.manifestDigest() != null) {
                usedBlobs.add(Digests.hex(image.manifestDigest()));
            }
            for (String layer : image.layers()) {
                usedBlobs.add(Digests.hex(layer));
            }
            for (String diffId : image.diffIds()) {
                usedLayers.add(Digests.hex(diffId));
            }
        }
        deleteUnused(blobs, usedBlobs);
        deleteUnused(layers, usedLayers);
    }

    private void deleteUnused(Path dir, Set<String> used) throws IOException {
        List<Path> unused = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (!used.contains(entry.getFileName().toString())) {
                    unused.add(entry);
                }
            }
        }
        for (Path entry : unused) {
            // Out of the way first, so a half-deleted layer is never taken for a whole one.
            Path doomed = tmp.resolve("deleting-" + UUID.randomUUID());
            Files.move(entry, doomed, StandardCopyOption.ATOMIC_MOVE);
            FileTrees.delete(doomed);
        }
    }

    static JsonNode readJson(Path file, String what) throws IOException {
        try {
            return JSON.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new IOException(what + " is not valid JSON: " + e.getOriginalMessage());
        }
    }
}

package io.k4j.kubelet.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's image service: pulls with skopeo into a content-addressed store on local disk (see {@link ImageStore}
 * for the layout) where each layer is unpacked once, imports image archives, and removes images with the layers
 * nothing else uses. Safe for concurrent use; two pulls of one reference run one after the other.
 *
 * <pre>{@code
 * ImageService images = LocalImageService.builder()
 *         .root(dataDir.resolve("agent/images"))
 *         .registries(RegistriesConfig.load(Path.of("/etc/k4j/registries.yaml")))
 *         .build();
 * }</pre>
 */
public final class LocalImageService implements ImageService {
    private static final Logger log = LoggerFactory.getLogger(LocalImageService.class);

    private final ImageStore store;
    private final SkopeoPuller puller;
    private final Clock clock;
    private final ConcurrentHashMap<String, Object> pullLocks = new ConcurrentHashMap<>();

    private LocalImageService(Builder builder) throws IOException {
        this.store = new ImageStore(builder.root);
        this.puller = new SkopeoPuller(builder.registries, builder.pullTimeout);
        this.clock = builder.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of the image service. */
    public static final class Builder {
        private Path root;
        private RegistriesConfig registries = RegistriesConfig.empty();
        private Clock clock = Clock.systemUTC();
        private Duration pullTimeout = Duration.ofMinutes(10);

        private Builder() {
        }

        /** The store's directory, e.g. DATA_DIR/agent/images (created if missing). */
        public Builder root(Path root) {
            this.root = root;
            return this;
        }

        public Builder registries(RegistriesConfig registries) {
            this.registries = Objects.requireNonNull(registries);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** How long one skopeo fetch may take before the pull fails. */
        public Builder pullTimeout(Duration pullTimeout) {
            this.pullTimeout = Objects.requireNonNull(pullTimeout);
            return this;
        }

        /** Opens the store (deleting what a crashed process left half done). */
        public LocalImageService build() throws IOException {
            Objects.requireNonNull(root, "root");
            return new LocalImageService(this);
        }
    }

    /** The store's directory. */
    public Path root() {
        return store.root();
    }

    public Clock clock() {
        return clock;
    }

    @Override
    public Optional<Image> find(String reference) {
        return findStored(reference).map(StoredImage::toImage);
    }

    private Optional<StoredImage> findStored(String reference) {
        try {
            if (ImageReference.isImageId(reference)) {
                String id = reference.startsWith("sha256:") ? reference : "sha256:" + reference;
                return store.read(id);
            }
            ImageReference parsed;
            try {
                parsed = ImageReference.parse(reference);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            List<StoredImage> all = store.all();
            if (parsed.digest() != null) {
                String byDigest = parsed.withDigest(parsed.digest());
                return all.stream().filter(image -> image.repoDigests().contains(byDigest)).findFirst();
            }
            String tagged = parsed.tagged();
            return all.stream().filter(image -> image.repoTags().contains(tagged)).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Image pull(String reference, List<RegistryCredential> credentials) throws ImagePullException {
        ImageReference parsed;
        try {
            parsed = ImageReference.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new ImagePullException(e.getMessage(), false, e);
        }
        synchronized (pullLocks.computeIfAbsent(parsed.toString(), ignored -> new Object())) {
            Path work = null;
            try {
                work = store.newTempDirectory("pull-");
                SkopeoPuller.Resolved resolved = puller.resolve(parsed, credentials == null ? List.of() : credentials,
                        work);
                List<String> tags = parsed.tagged() == null ? List.of() : List.of(parsed.tagged());
                String repoDigest = parsed.withDigest(resolved.manifestDigest());
                Optional<StoredImage> present = store.all().stream()
                        .filter(image -> image.repoDigests().contains(repoDigest)).findFirst();
                Optional<StoredImage> renamed = present.isEmpty() ? Optional.empty()
                        : store.addNames(present.get(), tags, List.of(repoDigest));
                if (renamed.isPresent()) {
                    log.debug("Image {} is up to date ({})", parsed, resolved.manifestDigest());
                    return renamed.get().toImage();
                }
                Path pulled = puller.fetch(parsed, resolved, work);
                ImageContent content = Manifests.read(pulled.resolve("manifest.json"), digest -> {
                    try {
                        return pulled.resolve(Digests.hex(digest));
                    } catch (IOException e) {
                        return null;
                    }
                });
                StoredImage image = store.add(content, tags, List.of(repoDigest));
                log.info("Pulled image {} ({}, {} bytes)", parsed, image.id(), image.size());
                return image.toImage();
            } catch (IOException e) {
                throw new ImagePullException("failed to pull and unpack image \"" + parsed + "\": " + e.getMessage(),
                        false, e);
            } finally {
                deleteQuietly(work);
            }
        }
    }

    @Override
    public List<Image> list() {
        try {
            return store.all().stream().map(StoredImage::toImage).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<Image> importArchive(Path tar) throws IOException {
        Path work = store.newTempDirectory("import-");
        try {
            List<Image> imported = new ArrayList<>();
            for (ArchiveImporter.ArchivedImage archived : ArchiveImporter.read(tar, work)) {
                imported.add(store.add(archived.content(), archived.repoTags(), archived.repoDigests()).toImage());
            }
            log.debug("Imported {} image(s) from {}", imported.size(), tar);
            return imported;
        } finally {
            deleteQuietly(work);
        }
    }

    /** Removes an image by id (or by any reference {@link #find} knows); nothing to do if it is not there. */
    @Override
    public void remove(String imageId) throws IOException {
        Optional<StoredImage> image = findStored(imageId);
        if (image.isPresent()) {
            store.remove(image.get().id());
            log.info("Removed image {} {}", image.get().id(), image.get().repoTags());
        }
    }

    @Override
    public List<Path> layerDirectories(Image image) {
        try {
            StoredImage stored = store.read(image.id())
                    .orElseThrow(() -> new IllegalArgumentException("image " + image.id() + " is not in the store"));
            List<Path> directories = new ArrayList<>();
            for (String diffId : stored.diffIds().reversed()) {
                directories.add(store.layerDirectory(diffId));
            }
            return directories;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long diskUsage() {
        try {
            return FileTrees.size(store.root());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", dir, e.getMessage());
        }
    }
}

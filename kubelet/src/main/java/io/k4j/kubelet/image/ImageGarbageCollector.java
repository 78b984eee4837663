package io.k4j.kubelet.image;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees disk space by removing unused images, with the kubelet's policy: when the image filesystem is at or above
 * {@code highThresholdPercent} used, remove images no container uses, least recently used first (then first
 * detected first), skipping any detected less than {@code minAge} ago, until usage is down to
 * {@code lowThresholdPercent}. Call {@link #garbageCollect} periodically (the kubelet does every 5 minutes) with
 * the ids of the images that containers use; an image's last use is the last call that saw it in use.
 */
public final class ImageGarbageCollector {
    private static final Logger log = LoggerFactory.getLogger(ImageGarbageCollector.class);

    private final ImageService images;
    private final FilesystemStats filesystem;
    private final Policy policy;
    private final Clock clock;
    private final Map<String, Record> records = new HashMap<>();

    /** Thresholds in percent of the image filesystem's capacity; minAge keeps freshly pulled images. */
    public record Policy(int highThresholdPercent, int lowThresholdPercent, Duration minAge) {
        /** The kubelet's defaults: --image-gc-high-threshold=85, --image-gc-low-threshold=80, minimum age 2m. */
        public static final Policy DEFAULT = new Policy(85, 80, Duration.ofMinutes(2));

        public Policy {
            if (highThresholdPercent < 0 || highThresholdPercent > 100) {
                throw new IllegalArgumentException("invalid HighThresholdPercent " + highThresholdPercent
                        + ", must be in range [0-100]");
            }
            if (lowThresholdPercent < 0 || lowThresholdPercent > 100) {
                throw new IllegalArgumentException("invalid LowThresholdPercent " + lowThresholdPercent
                        + ", must be in range [0-100]");
            }
            if (lowThresholdPercent > highThresholdPercent) {
                throw new IllegalArgumentException("LowThresholdPercent " + lowThresholdPercent
                        + " can not be higher than HighThresholdPercent " + highThresholdPercent);
            }
        }
    }

    /** Capacity and free bytes of the filesystem the images are on (injectable for tests). */
    public interface FilesystemStats {
        long capacityBytes() throws IOException;

        long availableBytes() throws IOException;

        /** The real numbers of the filesystem holding {@code path}. */
        static FilesystemStats of(Path path) {
            return new FilesystemStats() {
                @Override
                public long capacityBytes() throws IOException {
                    return store().getTotalSpace();
                }

                @Override
                public long availableBytes() throws IOException {
                    return store().getUsableSpace();
                }

                private FileStore store() throws IOException {
                    return Files.getFileStore(path);
                }
            };
        }
    }

    /**
     * What a collection did.
     *
     * @param bytesToFree 0 when usage was below the high threshold
     * @param failure     the FreeDiskSpaceFailed warning's message when not enough could be freed
     */
    public record Result(long bytesToFree, long bytesFreed, List<String> removedImageIds, Optional<String> failure) {
    }

    private static final class Record {
        final Instant firstDetected;
        Instant lastUsed = Instant.EPOCH;
        long size;

        Record(Instant firstDetected) {
            this.firstDetected = firstDetected;
        }
    }

    public ImageGarbageCollector(ImageService images, FilesystemStats filesystem, Policy policy, Clock clock) {
        this.images = images;
        this.filesystem = filesystem;
        this.policy = policy;
        this.clock = clock;
    }

    /** Notes which images exist and which are in use; the GC does this itself on each collection. */
    public synchronized void detectImages(Set<String> imageIdsInUse) {
        Instant now = clock.instant();
        Map<String, Image> present = new HashMap<>();
        for (Image image : images.list()) {
            present.put(image.id(), image);
        }
        records.keySet().retainAll(present.keySet());
        for (Image image : present.values()) {
            Record record = records.computeIfAbsent(image.id(), ignored -> new Record(now));
            record.size = image.size();
            if (imageIdsInUse.contains(image.id())) {
                record.lastUsed = now;
            }
        }
    }

    /** Frees space if usage is at or above the high threshold. */
    public synchronized Result garbageCollect(Set<String> imageIdsInUse) throws IOException {
        detectImages(imageIdsInUse);
        long capacity = filesystem.capacityBytes();
        long available = filesystem.availableBytes();
        if (capacity <= 0) {
            throw new IOException("invalid capacity " + capacity + " on image filesystem");
        }
        if (available > capacity) {
            log.warn("Image filesystem reports available {} > capacity {}; using capacity", available, capacity);
            available = capacity;
        }
        int usagePercent = 100 - (int) (available * 100 / capacity);
        if (usagePercent < policy.highThresholdPercent()) {
            return new Result(0, 0, List.of(), Optional.empty());
        }
        long bytesToFree = capacity * (100 - policy.lowThresholdPercent()) / 100 - available;
        log.info("Disk usage on image filesystem is {}% which is over the high threshold ({}%). Trying to free {} bytes "
                + "down to the low threshold ({}%).", usagePercent, policy.highThresholdPercent(), bytesToFree,
                policy.lowThresholdPercent());
        List<String> removed = new ArrayList<>();
        long freed = freeSpace(bytesToFree, imageIdsInUse, removed);
        Optional<String> failure = Optional.empty();
        if (freed < bytesToFree) {
            failure = Optional.of("Failed to garbage collect required amount of images. Attempted to free "
                    + bytesToFree + " bytes, but only found " + freed + " bytes eligible to free.");
        }
        return new Result(bytesToFree, freed, List.copyOf(removed), failure);
    }

    private long freeSpace(long bytesToFree, Set<String> inUse, List<String> removed) throws IOException {
        Instant now = clock.instant();
        List<Map.Entry<String, Record>> candidates = new ArrayList<>(records.entrySet());
        candidates.removeIf(entry -> inUse.contains(entry.getKey()));
        candidates.sort(Comparator.comparing((Map.Entry<String, Record> entry) -> entry.getValue().lastUsed)
                .thenComparing(entry -> entry.getValue().firstDetected)
                .thenComparing(Map.Entry::getKey));
        long freed = 0;
        for (Map.Entry<String, Record> candidate : candidates) {
            if (freed >= bytesToFree) {
                break;
            }
            if (Duration.between(candidate.getValue().firstDetected, now).compareTo(policy.minAge()) < 0) {
                log.debug("Image {} is younger than the minimum age {}; keeping it", candidate.getKey(),
                        policy.minAge());
                continue;
            }
            log.info("Removing image {} to free {} bytes", candidate.getKey(), candidate.getValue().size);
            images.remove(candidate.getKey());
            records.remove(candidate.getKey());
            removed.add(candidate.getKey());
            freed += candidate.getValue().size;
        }
        return freed;
    }
}

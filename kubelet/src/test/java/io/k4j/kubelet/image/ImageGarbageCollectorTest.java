package io.k4j.kubelet.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k4j.client.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageGarbageCollectorTest {
    private static final long CAPACITY = 1000;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final FakeImages images = new FakeImages();
    private long available = CAPACITY;
    private final ImageGarbageCollector collector = new ImageGarbageCollector(images,
            new ImageGarbageCollector.FilesystemStats() {
                @Override
                public long capacityBytes() {
                    return CAPACITY;
                }

                @Override
                public long availableBytes() {
                    return available;
                }
            }, ImageGarbageCollector.Policy.DEFAULT, clock);

    @Test
    void belowTheHighThresholdNothingIsRemoved() throws Exception {
        images.add("sha256:a", 100);
        clock.advance(Duration.ofMinutes(10));
        available = 160; // 84% used

        var result = collector.garbageCollect(Set.of());

        assertThat(result.bytesToFree()).isZero();
        assertThat(images.removed).isEmpty();
    }

    @Test
    void removesLeastRecentlyUsedUnusedImagesDownToTheLowThreshold() throws Exception {
        images.add("sha256:old", 60);
        images.add("sha256:newer", 60);
        images.add("sha256:running", 500);
        images.add("sha256:newest", 60);
        collector.detectImages(Set.of("sha256:old"));
        clock.advance(Duration.ofMinutes(1));
        collector.detectImages(Set.of("sha256:newer"));
        clock.advance(Duration.ofMinutes(1));
        collector.detectImages(Set.of("sha256:newest"));
        clock.advance(Duration.ofMinutes(5));
        available = 100; // 90% used: free 1000*20/100 - 100 = 100 bytes

        var result = collector.garbageCollect(Set.of("sha256:running"));

        assertThat(result.bytesToFree()).isEqualTo(100);
        assertThat(result.bytesFreed()).isEqualTo(120);
        assertThat(result.removedImageIds()).containsExactly("sha256:old", "sha256:newer");
        assertThat(images.removed).containsExactly("sha256:old", "sha256:newer");
        assertThat(result.failure()).isEmpty();
    }

    @Test
    void neverUsedImagesGoFirstInDetectionOrder() throws Exception {
        images.add("sha256:used", 300);
        collector.detectImages(Set.of("sha256:used"));
        clock.advance(Duration.ofMinutes(1));
        images.add("sha256:b-never-used", 300);
        collector.detectImages(Set.of());
        clock.advance(Duration.ofMinutes(1));
        images.add("sha256:a-never-used-later", 300);
        collector.detectImages(Set.of());
        clock.advance(Duration.ofMinutes(3));
        available = 150; // 85% used: at the threshold, free 200 - 150 = 50

        var result = collector.garbageCollect(Set.of());

        assertThat(result.bytesToFree()).isEqualTo(50);
        assertThat(result.removedImageIds()).containsExactly("sha256:b-never-used");
    }

    @Test
    void keepsImagesYoungerThanTheMinimumAgeAndSaysWhenItCannotFreeEnough() throws Exception {
        images.add("sha256:old", 30);
        collector.detectImages(Set.of());
        clock.advance(Duration.ofMinutes(2));
        images.add("sha256:fresh", 400);
        available = 50; // 95% used: free 200 - 50 = 150

        var result = collector.garbageCollect(Set.of());

        assertThat(result.removedImageIds()).containsExactly("sha256:old");
        assertThat(result.bytesFreed()).isEqualTo(30);
        assertThat(result.failure()).contains("Failed to garbage collect required amount of images. "
                + "Attempted to free 150 bytes, but only found 30 bytes eligible to free.");
    }

    @Test
    void refusesThresholdsOutOfOrder() {
        assertThatThrownBy(() -> new ImageGarbageCollector.Policy(80, 85, Duration.ZERO))
                .hasMessage("LowThresholdPercent 85 can not be higher than HighThresholdPercent 80");
        assertThatThrownBy(() -> new ImageGarbageCollector.Policy(101, 85, Duration.ZERO))
                .hasMessage("invalid HighThresholdPercent 101, must be in range [0-100]");
    }

    /** Images by id and size; remove records what was removed. */
    private static final class FakeImages implements ImageService {
        final Map<String, Image> images = new LinkedHashMap<>();
        final List<String> removed = new ArrayList<>();

        void add(String id, long size) {
            images.put(id, new Image(id, List.of(), List.of(), size, List.of(), null));
        }

        @Override
        public Optional<Image> find(String reference) {
            return Optional.ofNullable(images.get(reference));
        }

        @Override
        public Image pull(String reference, List<RegistryCredential> credentials) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Image> list() {
            return List.copyOf(images.values());
        }

        @Override
        public List<Image> importArchive(Path tar) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void remove(String imageId) {
            images.remove(imageId);
            removed.add(imageId);
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
}

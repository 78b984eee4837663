package io.k4j.kubelet.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k4j.kubelet.image.ImageService.RegistryCredential;
import io.k4j.kubelet.testing.LocalRegistry;
import io.k4j.kubelet.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls from a registry on 127.0.0.1 (loopback only) into a store in a temp dir. */
class LocalImageServiceTest {
    private static LocalRegistry registry;
    private static LocalRegistry.PushedImage busybox;
    private static LocalRegistry.PushedImage withFile;

    @TempDir
    Path dir;
    private LocalImageService images;

    @BeforeAll
    static void startRegistry(@TempDir Path work) {
        TestImages.assumeAvailable();
        LocalRegistry.assumeAvailable();
        registry = LocalRegistry.builder().workDir(work).start();
        busybox = registry.push(TestImages.busybox(work), "library/busybox:1");
        withFile = registry.push(TestImages.busybox().cmd("cat", "/etc/motd").env("GREETING=hi").user("65534")
                .workingDir("/tmp").file("/etc/motd", "hello\n").build(work), "motd:v1");
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void openStore() throws Exception {
        images = LocalImageService.builder().root(dir.resolve("images")).build();
    }

    @Test
    void pullsByTagThenFindsByTagDigestAndId() throws Exception {
        Image image = images.pull(busybox.reference(), List.of());

        assertThat(image.id()).startsWith("sha256:");
        assertThat(image.repoTags()).containsExactly(busybox.reference());
        assertThat(image.repoDigests()).containsExactly(busybox.byDigest());
        assertThat(image.layerDigests()).hasSize(1);
        assertThat(image.size()).isGreaterThan(500_000);
        assertThat(image.config().cmd()).containsExactly("sh");
        assertThat(image.config().env()).anyMatch(env -> env.startsWith("PATH="));
        for (String reference : List.of(busybox.reference(), busybox.byDigest(), image.id(),
                image.id().substring("sha256:".length()))) {
            assertThat(images.find(reference)).as(reference).contains(image);
        }
        assertThat(images.find(registry.host() + "/library/busybox:2")).isEmpty();
        List<Path> layers = images.layerDirectories(image);
        assertThat(layers).hasSize(1);
        assertThat(layers.getFirst().resolve("bin/busybox")).isRegularFile().isExecutable();
        assertThat(Files.readSymbolicLink(layers.getFirst().resolve("bin/sh"))).isEqualTo(Path.of("/bin/busybox"));
        assertThat(images.list()).containsExactly(image);
        assertThat(images.diskUsage()).isGreaterThan(image.size());
    }

    @Test
    void aRepullOfAnUnchangedTagFetchesNothingAndAMovedTagLeavesTheOldImage() throws Exception {
        LocalRegistry.PushedImage first = registry.push(TestImages.busybox(dir), "moving:1");
        Image before = images.pull(first.reference(), List.of());
        Files.delete(images.root().resolve("blobs/sha256").resolve(before.layerDigests().getFirst().substring(7)));

        assertThat(images.pull(first.reference(), List.of())).isEqualTo(before); // would have restored the blob

        assertThat(images.root().resolve("blobs/sha256").resolve(before.layerDigests().getFirst().substring(7)))
                .doesNotExist();
        LocalRegistry.PushedImage moved = registry.push(
                TestImages.busybox().file("/etc/motd", "hello\n").cmd("cat", "/etc/motd").build(dir), "moving:1");
        Image after = images.pull(moved.reference(), List.of());
        assertThat(after.id()).isNotEqualTo(before.id());
        assertThat(after.repoTags()).containsExactly(moved.reference());
        assertThat(images.find(before.id()).orElseThrow().repoTags()).isEmpty();
        assertThat(images.find(before.id()).orElseThrow().repoDigests()).containsExactly(first.byDigest());
    }

    @Test
    void pullsByDigest() throws Exception {
        Image image = images.pull(busybox.byDigest(), List.of());

        assertThat(image.repoTags()).isEmpty();
        assertThat(image.repoDigests()).containsExactly(busybox.byDigest());
        assertThat(images.find(busybox.byDigest())).contains(image);
    }

    @Test
    void unpacksALayerSharedByTwoImagesOnceAndRemovesItWithTheLastOfThem() throws Exception {
        Image base = images.pull(busybox.reference(), List.of());
        Path baseLayer = images.layerDirectories(base).getFirst();
        Files.writeString(baseLayer.resolve("marker"), "unpacked once");

        Image derived = images.pull(withFile.reference(), List.of());

        List<Path> derivedLayers = images.layerDirectories(derived);
        assertThat(derivedLayers).hasSize(2);
        assertThat(derivedLayers.get(1)).isEqualTo(baseLayer);
        assertThat(baseLayer.resolve("marker")).hasContent("unpacked once");
        assertThat(derivedLayers.getFirst().resolve("etc/motd")).hasContent("hello\n");
        assertThat(derived.config()).isEqualTo(new Image.ImageConfig(List.of(), List.of("cat", "/etc/motd"),
                List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "GREETING=hi"),
                "/tmp", "65534", null));

        images.remove(base.id());
        assertThat(images.find(busybox.reference())).isEmpty();
        assertThat(baseLayer).isDirectory();
        images.remove(derived.id());
        assertThat(images.list()).isEmpty();
        try (var left = Files.list(dir.resolve("images/layers/sha256"))) {
            assertThat(left).isEmpty();
        }
        try (var left = Files.list(dir.resolve("images/blobs/sha256"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aDeletedFileIsAnOverlayWhiteoutInItsLayer() throws Exception {
        String reference = registry.push(TestImages.busybox().whiteout("/etc/group").build(dir), "whiteout:1")
                .reference();

        Image image = images.pull(reference, List.of());

        List<Path> layers = images.layerDirectories(image);
        assertThat(layers).hasSize(2);
        Path whiteout = layers.getFirst().resolve("etc/group");
        assertThat(Commands.run(List.of("stat", "-c", "%F %t:%T", whiteout.toString()), 10).output())
                .isEqualTo("character special file 0:0");
        assertThat(layers.get(1).resolve("etc/group")).isRegularFile();
    }

    @Test
    void aMissingImageIsNotFound() {
        String reference = registry.host() + "/nothing-here:1";
        assertThatThrownBy(() -> images.pull(reference, List.of()))
                .isInstanceOfSatisfying(ImagePullException.class, e -> assertThat(e.notFound()).isTrue())
                .hasMessage("failed to pull and unpack image \"" + reference + "\": failed to resolve reference \""
                        + reference + "\": " + reference + ": not found");
    }

    @Test
    void anInvalidNameIsRefusedBeforeAnyPull() {
        assertThatThrownBy(() -> images.pull("Not/Valid:x", List.of())).isInstanceOf(ImagePullException.class)
                .hasMessageContaining("invalid reference format");
    }

    @Test
    void concurrentPullsOfOneReferenceAgree() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Callable<Image> pull = () -> images.pull(busybox.reference(), List.of());
            Callable<Image> other = () -> images.pull(withFile.reference(), List.of());
            List<Future<Image>> results = pool.invokeAll(List.of(pull, pull, other));
            assertThat(results.get(0).get()).isEqualTo(results.get(1).get());
            assertThat(images.layerDirectories(results.get(2).get()).get(1))
                    .isEqualTo(images.layerDirectories(results.get(0).get()).getFirst());
            assertThat(images.list()).hasSize(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void mirrorsAreTriedBeforeTheRegistry() throws Exception {
        LocalImageService mirrored = LocalImageService.builder().root(dir.resolve("mirrored"))
                .registries(RegistriesConfig.parse("""
                        mirrors:
                          docker.io:
                            endpoint: ["http://%s"]
                        """.formatted(registry.host()), "test")).build();

        Image image = mirrored.pull("busybox:1", List.of());

        assertThat(image.repoTags()).containsExactly("docker.io/library/busybox:1");
        assertThat(mirrored.find("busybox:1")).contains(image);
    }

    @Test
    void basicAuthNeedsTheRightCredentials() throws Exception {
        try (LocalRegistry secured = LocalRegistry.builder().workDir(dir).basicAuth("alice", "s3cret").start()) {
            String reference = secured.push(TestImages.busybox(dir), "private/app:1").reference();

            assertThatThrownBy(() -> images.pull(reference, List.of()))
                    .isInstanceOfSatisfying(ImagePullException.class, e -> assertThat(e.notFound()).isFalse())
                    .hasMessageContaining("pull access denied, repository does not exist or may require authorization");
            assertThatThrownBy(() -> images.pull(reference,
                    List.of(new RegistryCredential(secured.host(), "alice", "wrong-password"))))
                    .isInstanceOf(ImagePullException.class).message().doesNotContain("wrong-password");

            Image image = images.pull(reference, List.of(
                    new RegistryCredential("other.example.com", "bob", "unrelated"),
                    new RegistryCredential("http://" + secured.host(), "alice", "wrong-password"),
                    new RegistryCredential(secured.host(), "alice", "s3cret")));
            assertThat(image.repoTags()).containsExactly(reference);
        }
    }

    @Test
    void importsDockerAndOciArchives() throws Exception {
        TestImages.OciImage source = TestImages.busybox().cmd("echo", "imported").build(dir);
        Path dockerArchive = TestImages.dockerArchive(source, dir.resolve("docker.tar"), "example.com/app:v1");
        Path ociArchive = dir.resolve("oci.tar");
        Commands.check(List.of("skopeo", "copy", "--quiet", source.skopeoReference(),
                "oci-archive:" + ociArchive + ":example.com/app:v2"));

        List<Image> fromDocker = images.importArchive(dockerArchive);
        List<Image> fromOci = images.importArchive(ociArchive);

        assertThat(fromDocker).singleElement().satisfies(image -> {
            assertThat(image.repoTags()).containsExactly("example.com/app:v1");
            assertThat(image.config().cmd()).containsExactly("echo", "imported");
            assertThat(images.layerDirectories(image).getFirst().resolve("bin/busybox")).isRegularFile();
        });
        assertThat(fromOci).singleElement().satisfies(image -> {
            assertThat(image.id()).isEqualTo(fromDocker.getFirst().id());
            assertThat(image.repoTags()).contains("example.com/app:v2");
        });
        assertThat(images.find("example.com/app:v1")).isPresent();
        assertThat(images.list()).hasSize(1);
    }

    @Test
    void refusesFilesThatAreNoImageArchive() throws Exception {
        Path notAnArchive = dir.resolve("notes.txt");
        Files.writeString(notAnArchive, "hello");
        assertThatThrownBy(() -> images.importArchive(notAnArchive)).hasMessageContaining("not a tar archive");
        Path emptyTar = dir.resolve("empty.tar");
        Files.write(emptyTar, new byte[1024]);
        assertThatThrownBy(() -> images.importArchive(emptyTar))
                .hasMessage(emptyTar + " is neither an OCI layout nor a docker-archive (it has no oci-layout and "
                        + "index.json, and no manifest.json)");
        assertThatThrownBy(() -> images.importArchive(dir.resolve("missing.tar")))
                .hasMessage(dir.resolve("missing.tar") + ": no such file");
    }
}

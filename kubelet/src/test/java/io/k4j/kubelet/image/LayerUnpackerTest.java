package io.k4j.kubelet.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerUnpackerTest {
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    @TempDir
    Path dir;

    private Path unpack(byte[] tar) throws IOException {
        Path target = Files.createTempDirectory(dir, "layer-");
        new LayerUnpacker().unpack(new ByteArrayInputStream(tar), target);
        return target;
    }

    @Test
    void filesDirectoriesAndLinksKeepTheirModesOwnersAndTimes() throws Exception {
        byte[] tar = new TarBuilder()
                .directory("./", 0755, 0)
                .directory("./etc/", 0700, 1_600_000_000L)
                .file("./etc/secret", "s3\n", 0640, 1000, 1001, 1_500_000_000L)
                .file("usr/bin/tool", "#!/bin/sh\n", 04755, 0, 0, 0)
                .symlink("bin", "/usr/bin")
                .hardlink("etc/secret-link", "./etc/secret")
                .fifo("run/pipe", 0600)
                .build();

        Path layer = unpack(tar);

        assertThat(Files.readString(layer.resolve("etc/secret"))).isEqualTo("s3\n");
        assertThat(Files.getAttribute(layer.resolve("etc/secret"), "unix:mode")).isEqualTo(0100640);
        assertThat(Files.getAttribute(layer.resolve("etc"), "unix:mode")).isEqualTo(040700);
        assertThat(Files.getLastModifiedTime(layer.resolve("etc")).toMillis()).isEqualTo(1_600_000_000_000L);
        assertThat(Files.getLastModifiedTime(layer.resolve("etc/secret")).toMillis()).isEqualTo(1_500_000_000_000L);
        assertThat(Files.readSymbolicLink(layer.resolve("bin"))).isEqualTo(Path.of("/usr/bin"));
        assertThat(Files.getAttribute(layer.resolve("etc/secret-link"), "unix:ino"))
                .isEqualTo(Files.getAttribute(layer.resolve("etc/secret"), "unix:ino"));
        assertThat(Files.getAttribute(layer.resolve("usr"), "unix:mode")).isEqualTo(040755); // implied parent
        assertThat(Files.getAttribute(layer.resolve("run/pipe"), "unix:mode")).isEqualTo(010600);
        if (ROOT) {
            assertThat(Files.getAttribute(layer.resolve("etc/secret"), "unix:uid")).isEqualTo(1000);
            assertThat(Files.getAttribute(layer.resolve("etc/secret"), "unix:gid")).isEqualTo(1001);
            assertThat(Files.getAttribute(layer.resolve("usr/bin/tool"), "unix:mode")).isEqualTo(0104755);
        }
    }

    @Test
    void returnsTheDiffIdOfTheWholeUncompressedStream() throws Exception {
        byte[] tar = new TarBuilder().file("a", "x", 0644, 0, 0, 0).build();
        byte[] padded = new byte[tar.length + 4096]; // writers may pad past the end-of-archive blocks
        System.arraycopy(tar, 0, padded, 0, tar.length);
        Path target = Files.createTempDirectory(dir, "layer-");

        String diffId = new LayerUnpacker().unpack(new ByteArrayInputStream(padded), target);

        assertThat(diffId).isEqualTo("sha256:" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(padded)));
    }

    @Test
    void paxAndGnuLongNamesAndPaxOwners() throws Exception {
        String longDir = "d".repeat(120);
        byte[] tar = new TarBuilder()
                .pax("path", longDir + "/pax-file", "uid", "70000", "mtime", "1700000000.5")
                .file("ignored-short-name", "pax", 0644, 0, 0, 0)
                .gnuLongName(longDir + "/gnu-file")
                .file("ignored-too", "gnu", 0600, 0, 0, 0)
                .build();

        Path layer = unpack(tar);

        assertThat(Files.readString(layer.resolve(longDir + "/pax-file"))).isEqualTo("pax");
        assertThat(Files.readString(layer.resolve(longDir + "/gnu-file"))).isEqualTo("gnu");
        assertThat(Files.getLastModifiedTime(layer.resolve(longDir + "/pax-file")).toMillis())
                .isEqualTo(1_700_000_000_000L);
        if (ROOT) {
            assertThat(Files.getAttribute(layer.resolve(longDir + "/pax-file"), "unix:uid")).isEqualTo(70000);
        }
    }

    @Test
    void whiteoutsBecomeOverlayWhiteoutsAndOpaqueDirectories() throws Exception {
        assumeTrue(ROOT, "creating whiteout devices and trusted xattrs needs root");
        byte[] tar = new TarBuilder()
                .file("etc/.wh.removed", "", 0644, 0, 0, 0)
                .directory("var/cache/", 0755, 0)
                .file("var/cache/.wh..wh..opq", "", 0644, 0, 0, 0)
                .file("var/cache/kept", "k", 0644, 0, 0, 0)
                .build();

        Path layer = unpack(tar);

        assertThat(stat(layer.resolve("etc/removed"), "%F %t:%T")).isEqualTo("character special file 0:0");
        assertThat(Files.exists(layer.resolve("etc/.wh.removed"), NOFOLLOW)).isFalse();
        assertThat(Files.exists(layer.resolve("var/cache/.wh..wh..opq"), NOFOLLOW)).isFalse();
        assertThat(Files.readString(layer.resolve("var/cache/kept"))).isEqualTo("k");
        assertThat(xattr(layer.resolve("var/cache"), "trusted.overlay.opaque")).isEqualTo("y");
    }

    @Test
    void laterEntriesReplaceEarlierOnes() throws Exception {
        byte[] tar = new TarBuilder()
                .file("a", "first", 0644, 0, 0, 0)
                .file("a", "second", 0644, 0, 0, 0)
                .file("b", "file", 0644, 0, 0, 0)
                .directory("b/", 0755, 0)
                .file("b/c", "under", 0644, 0, 0, 0)
                .build();

        Path layer = unpack(tar);

        assertThat(Files.readString(layer.resolve("a"))).isEqualTo("second");
        assertThat(Files.readString(layer.resolve("b/c"))).isEqualTo("under");
    }

    @Test
    void refusesEntriesOutsideTheLayer() {
        assertThatThrownBy(() -> unpack(new TarBuilder().file("../evil", "x", 0644, 0, 0, 0).build()))
                .isInstanceOf(IOException.class).hasMessageContaining("points outside the layer");
        assertThatThrownBy(() -> unpack(new TarBuilder().symlink("etc", "/etc")
                .file("etc/passwd", "x", 0644, 0, 0, 0).build()))
                .isInstanceOf(IOException.class).hasMessageContaining("goes through the symlink etc");
        assertThatThrownBy(() -> unpack(new TarBuilder().hardlink("x", "../../etc/passwd").build()))
                .isInstanceOf(IOException.class).hasMessageContaining("points outside the layer");
    }

    @Test
    void refusesGarbage() {
        byte[] garbage = "this is not a tar archive at all".repeat(40).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> unpack(garbage)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a tar archive");
    }

    @Test
    void opensGzipAndPlainLayersAlike() throws Exception {
        byte[] tar = new TarBuilder().file("hello", "world", 0644, 0, 0, 0).build();
        Path plain = dir.resolve("plain.tar");
        Files.write(plain, tar);
        Path gzip = dir.resolve("layer.tar.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzip))) {
            out.write(tar);
        }

        for (Path blob : List.of(plain, gzip)) {
            Path target = Files.createTempDirectory(dir, "layer-");
            String diffId;
            try (var in = LayerUnpacker.openLayer(blob)) {
                diffId = new LayerUnpacker().unpack(in, target);
            }
            assertThat(Files.readString(target.resolve("hello"))).isEqualTo("world");
            assertThat(diffId).isEqualTo("sha256:" + HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(tar)));
        }
    }

    @Test
    void opensZstdLayersWithTheZstdTool() throws Exception {
        assumeTrue(Commands.installed("zstd"), "needs zstd");
        byte[] tar = new TarBuilder().file("z", "zstd", 0644, 0, 0, 0).build();
        Path plain = Files.write(dir.resolve("layer.tar"), tar);
        Commands.check(List.of("zstd", "-q", plain.toString(), "-o", dir.resolve("layer.tar.zst").toString()));
        Path target = Files.createTempDirectory(dir, "layer-");

        try (var in = LayerUnpacker.openLayer(dir.resolve("layer.tar.zst"))) {
            new LayerUnpacker().unpack(in, target);
        }

        assertThat(Files.readString(target.resolve("z"))).isEqualTo("zstd");
    }

    @Test
    void readsWhatGnuTarWrites() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/tar")), "needs GNU tar");
        Path source = Files.createDirectories(dir.resolve("src/sub"));
        Files.writeString(source.resolve("f"), "data");
        Files.createSymbolicLink(source.resolve("link"), Path.of("f"));
        Path archive = dir.resolve("gnu.tar");
        Commands.check(List.of("tar", "--format=pax", "-C", dir.resolve("src").toString(), "-cf", archive.toString(),
                "."));

        Path layer = unpack(Files.readAllBytes(archive));

        assertThat(Files.readString(layer.resolve("sub/f"))).isEqualTo("data");
        assertThat(Files.readSymbolicLink(layer.resolve("sub/link"))).isEqualTo(Path.of("f"));
    }

    private static String stat(Path path, String format) throws IOException {
        return Commands.run(List.of("stat", "-c", format, path.toString()), 10).output();
    }

    private static String xattr(Path path, String name) throws IOException {
        return Commands.run(List.of("python3", "-c",
                "import os, sys; print(os.getxattr(sys.argv[1], sys.argv[2]).decode())", path.toString(), name), 10)
                .output();
    }
}

package io.k4j.kubelet.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k4j.kubelet.volume.AtomicWriter.FileProjection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriterTest {

    @TempDir
    Path dir;

    private final AtomicWriter writer() {
        return new AtomicWriter(dir.resolve("vol"), InstantSource.fixed(Instant.parse("2026-11-27T01:02:03Z")));
    }

    private static FileProjection file(String content, int mode) {
        return new FileProjection(content.getBytes(StandardCharsets.UTF_8), mode);
    }

    private List<String> entries() throws Exception {
        try (Stream<Path> list = Files.list(dir.resolve("vol"))) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void filesAreVisibleThroughDataSymlinks() throws Exception {
        assertThat(writer().write(Map.of("a.conf", file("one", 0644), "sub/b.txt", file("two", 0400)))).isTrue();
        Path vol = dir.resolve("vol");
        assertThat(Files.readString(vol.resolve("a.conf"))).isEqualTo("one");
        assertThat(Files.readString(vol.resolve("sub/b.txt"))).isEqualTo("two");
        assertThat(Files.readSymbolicLink(vol.resolve("a.conf"))).isEqualTo(Path.of("..data/a.conf"));
        assertThat(Files.readSymbolicLink(vol.resolve("sub"))).isEqualTo(Path.of("..data/sub"));
        assertThat(Files.readSymbolicLink(vol.resolve("..data")).toString()).startsWith("..2026_11_27_01_02_03.");
        assertThat(Files.getPosixFilePermissions(vol.resolve("sub/b.txt")))
                .isEqualTo(PosixFilePermissions.fromString("r--------"));
        assertThat(entries()).hasSize(4); // ..data, the timestamped dir, a.conf, sub
    }

    @Test
    void unchangedContentIsNotRewritten() throws Exception {
        writer().write(Map.of("a", file("one", 0644)));
        Path target = Files.readSymbolicLink(dir.resolve("vol/..data"));
        assertThat(writer().write(Map.of("a", file("one", 0644)))).isFalse();
        assertThat(Files.readSymbolicLink(dir.resolve("vol/..data"))).isEqualTo(target);
        assertThat(writer().write(Map.of("a", file("one", 0600)))).isTrue(); // a mode change is a change
    }

    @Test
    void anUpdateSwapsContentAndRemovesOldFiles() throws Exception {
        writer().write(Map.of("a", file("one", 0644), "gone", file("x", 0644)));
        Path oldDir = dir.resolve("vol").resolve(Files.readSymbolicLink(dir.resolve("vol/..data")));
        assertThat(writer().write(Map.of("a", file("two", 0644), "new", file("y", 0644)))).isTrue();
        Path vol = dir.resolve("vol");
        assertThat(Files.readString(vol.resolve("a"))).isEqualTo("two");
        assertThat(Files.readString(vol.resolve("new"))).isEqualTo("y");
        assertThat(Files.exists(vol.resolve("gone"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(oldDir).doesNotExist();
        assertThat(entries()).hasSize(4).contains("..data", "a", "new");
    }

    @Test
    void anEmptyPayloadLeavesOnlyTheDataLink() throws Exception {
        writer().write(Map.of("a", file("one", 0644)));
        writer().write(Map.of());
        assertThat(entries()).hasSize(2).contains("..data");
    }

    @Test
    void badPathsAreRefused() {
        assertThatThrownBy(() -> writer().write(Map.of("/etc/passwd", file("x", 0644))))
                .hasMessage("invalid path: must not be absolute path: /etc/passwd");
        assertThatThrownBy(() -> writer().write(Map.of("a/../../b", file("x", 0644))))
                .hasMessage("invalid path: must not contain '..': a/../../b");
        assertThatThrownBy(() -> writer().write(Map.of("..data", file("x", 0644))))
                .hasMessage("invalid path: must not start with '..': ..data");
    }
}

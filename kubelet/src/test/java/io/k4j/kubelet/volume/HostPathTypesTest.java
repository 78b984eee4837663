package io.k4j.kubelet.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostPathTypesTest {

    @TempDir
    Path dir;

    @Test
    void orCreateTypesCreateWhatIsMissing() throws Exception {
        Path newDir = dir.resolve("a/b");
        HostPathTypes.check(newDir, "DirectoryOrCreate");
        assertThat(newDir).isDirectory();
        assertThat(Files.getPosixFilePermissions(newDir)).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        Path newFile = dir.resolve("f");
        HostPathTypes.check(newFile, "FileOrCreate");
        assertThat(newFile).isRegularFile();
        assertThat(Files.getPosixFilePermissions(newFile)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    }

    @Test
    void mismatchesFailWithUpstreamsMessages() throws Exception {
        Path file = Files.createFile(dir.resolve("file"));
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> HostPathTypes.check(file, "Directory"))
                .hasMessage("hostPath type check failed: " + file + " is not a directory");
        assertThatThrownBy(() -> HostPathTypes.check(file, "DirectoryOrCreate"))
                .hasMessage("hostPath type check failed: " + file + " is not a directory");
        assertThatThrownBy(() -> HostPathTypes.check(missing, "Directory"))
                .hasMessage("hostPath type check failed: " + missing + " is not a directory");
        assertThatThrownBy(() -> HostPathTypes.check(dir, "File"))
                .hasMessage("hostPath type check failed: " + dir + " is not a file");
        assertThatThrownBy(() -> HostPathTypes.check(dir, "FileOrCreate"))
                .hasMessage("hostPath type check failed: " + dir + " is not a file");
        assertThatThrownBy(() -> HostPathTypes.check(file, "Socket"))
                .hasMessage("hostPath type check failed: " + file + " is not a socket file");
        assertThatThrownBy(() -> HostPathTypes.check(file, "CharDevice"))
                .hasMessage("hostPath type check failed: " + file + " is not a character device");
        assertThatThrownBy(() -> HostPathTypes.check(Path.of("/dev/null"), "BlockDevice"))
                .hasMessage("hostPath type check failed: /dev/null is not a block device");
        assertThatThrownBy(() -> HostPathTypes.check(file, "Weird"))
                .hasMessage("Weird is an invalid volume type");
        assertThat(missing).doesNotExist();
    }

    @Test
    void matchingTypesAndTheEmptyTypePass() {
        assertThatCode(() -> {
            HostPathTypes.check(dir, "Directory");
            HostPathTypes.check(Path.of("/dev/null"), "CharDevice");
            HostPathTypes.check(dir.resolve("anything"), "");
            HostPathTypes.check(dir.resolve("anything"), null);
        }).doesNotThrowAnyException();
        assertThat(dir.resolve("anything")).doesNotExist();
    }

    @Test
    void socketsAreRecognised() throws Exception {
        Path socket = dir.resolve("s.sock");
        try (var channel = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            channel.bind(java.net.UnixDomainSocketAddress.of(socket));
            assertThatCode(() -> HostPathTypes.check(socket, "Socket")).doesNotThrowAnyException();
        }
    }
}

package io.k4j.kubelet.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubPathsTest {

    @TempDir
    Path volume;

    @Test
    void aMissingSubPathIsCreated() throws Exception {
        Path path = SubPaths.resolve(volume, "data/logs");
        assertThat(path).isEqualTo(volume.resolve("data/logs")).isDirectory();
        assertThat(Files.getPosixFilePermissions(path)).isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
        assertThat(SubPaths.resolve(volume, "data/logs")).isEqualTo(path);
    }

    @Test
    void anExistingFileIsUsedAsIs() throws Exception {
        Path file = Files.writeString(volume.resolve("app.conf"), "x");
        assertThat(SubPaths.resolve(volume, "app.conf")).isEqualTo(file).isRegularFile();
    }

    @Test
    void absoluteAndBackstepPathsAreRefused() {
        assertThatThrownBy(() -> SubPaths.resolve(volume, "/etc"))
                .hasMessage("error SubPath `/etc` must not be an absolute path");
        assertThatThrownBy(() -> SubPaths.resolve(volume, "a/../../etc"))
                .hasMessage("unable to provision SubPath `a/../../etc`: must not contain '..'");
        assertThatThrownBy(() -> SubPaths.resolve(volume, ".."))
                .hasMessage("unable to provision SubPath `..`: must not contain '..'");
    }

    @Test
    void symlinksOutOfTheVolumeAreRefusedBeforeCreatingAnything(@TempDir Path outside) throws Exception {
        Files.createSymbolicLink(volume.resolve("escape"), outside);
        assertThatThrownBy(() -> SubPaths.resolve(volume, "escape/new"))
                .hasMessageContaining("not within volume path");
        assertThat(outside.resolve("new")).doesNotExist();
    }
}

package io.k4j.kubelet.runtime.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k4j.kubelet.runtime.ContainerConfig.User;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageUserTest {
    @TempDir
    Path rootfs;

    private void image() throws IOException {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1001:1002::/app:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\napp:x:1002:\nwheel:x:10:app,other\n");
    }

    @Test
    void aUserNameResolvesThroughTheImagesPasswdAndGroup() throws IOException {
        image();
        assertThat(ImageUser.resolve(new User(null, null, List.of(5L), "app"), rootfs))
                .isEqualTo(new ImageUser(1001, 1002, List.of(5L, 10L)));
    }

    @Test
    void aUidWithoutGidTakesItsPrimaryGroupAndNoUserIsRoot() throws IOException {
        image();
        assertThat(ImageUser.resolve(new User(1001L, null, List.of(), null), rootfs))
                .isEqualTo(new ImageUser(1001, 1002, List.of()));
        assertThat(ImageUser.resolve(null, rootfs)).isEqualTo(new ImageUser(0, 0, List.of()));
        assertThat(ImageUser.resolve(new User(42L, null, List.of(), null), rootfs))
                .isEqualTo(new ImageUser(42, 0, List.of()));
    }

    @Test
    void anUnknownNameIsAClearError() throws IOException {
        image();
        assertThatThrownBy(() -> ImageUser.resolve(new User(null, null, List.of(), "ghost"), rootfs))
                .hasMessage("unable to find user ghost: no matching entries in passwd file");
    }
}

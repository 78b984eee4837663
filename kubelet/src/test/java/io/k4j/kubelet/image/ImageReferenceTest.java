package io.k4j.kubelet.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @ParameterizedTest
    @CsvSource({
            "busybox, docker.io/library/busybox:latest",
            "busybox:1.36, docker.io/library/busybox:1.36",
            "library/busybox, docker.io/library/busybox:latest",
            "docker.io/busybox, docker.io/library/busybox:latest",
            "index.docker.io/library/busybox:1, docker.io/library/busybox:1",
            "bitnami/redis:7, docker.io/bitnami/redis:7",
            "quay.io/coreos/etcd, quay.io/coreos/etcd:latest",
            "127.0.0.1:5000/app:v1, 127.0.0.1:5000/app:v1",
            "localhost/app, localhost/app:latest",
            "localhost:5000/a/b/c:x-1.2_3, localhost:5000/a/b/c:x-1.2_3",
            "registry.example.com:443/team/app, registry.example.com:443/team/app:latest",
    })
    void normalisesLikeTheRuntime(String reference, String expected) {
        assertThat(ImageReference.parse(reference).toString()).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void digestsAndTagsTogether() {
        ImageReference byDigest = ImageReference.parse("busybox@" + DIGEST);
        assertThat(byDigest.tag()).isNull();
        assertThat(byDigest.digest()).isEqualTo(DIGEST);
        assertThat(byDigest.toString()).isEqualTo("docker.io/library/busybox@" + DIGEST);
        assertThat(byDigest.tagged()).isNull();
        assertThat(byDigest.at("127.0.0.1:5000")).isEqualTo("127.0.0.1:5000/library/busybox@" + DIGEST);

        ImageReference both = ImageReference.parse("127.0.0.1:5000/app:v1@" + DIGEST);
        assertThat(both.registry()).isEqualTo("127.0.0.1:5000");
        assertThat(both.repository()).isEqualTo("app");
        assertThat(both.tagged()).isEqualTo("127.0.0.1:5000/app:v1");
        assertThat(both.at("mirror:1")).isEqualTo("mirror:1/app@" + DIGEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "Busybox", "busybox:", "busybox@sha256:xyz", "-bad/name", "a//b", "busybox:bad tag",
            "app:" + "t" + "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"})
    void refusesInvalidNames(String reference) {
        assertThatThrownBy(() -> ImageReference.parse(reference)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid reference format");
    }

    @org.junit.jupiter.api.Test
    void imageIdsAndLoopbackHosts() {
        assertThat(ImageReference.isImageId(DIGEST)).isTrue();
        assertThat(ImageReference.isImageId("ab".repeat(32))).isTrue();
        assertThat(ImageReference.isImageId("busybox")).isFalse();
        assertThat(ImageReference.isLoopback("127.0.0.1:5000")).isTrue();
        assertThat(ImageReference.isLoopback("127.1.2.3")).isTrue();
        assertThat(ImageReference.isLoopback("localhost:80")).isTrue();
        assertThat(ImageReference.isLoopback("[::1]:5000")).isTrue();
        assertThat(ImageReference.isLoopback("docker.io")).isFalse();
        assertThat(ImageReference.isLoopback("10.0.0.1:5000")).isFalse();
    }
}

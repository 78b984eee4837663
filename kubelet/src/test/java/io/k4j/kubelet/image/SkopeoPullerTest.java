package io.k4j.kubelet.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.kubelet.image.ImageService.RegistryCredential;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SkopeoPullerTest {

    @Test
    void dockerConfigKeysMatchRegistryHosts() {
        assertThat(SkopeoPuller.matches("https://index.docker.io/v1/", "docker.io")).isTrue();
        assertThat(SkopeoPuller.matches("docker.io", "docker.io")).isTrue();
        assertThat(SkopeoPuller.matches("http://127.0.0.1:5000", "127.0.0.1:5000")).isTrue();
        assertThat(SkopeoPuller.matches("127.0.0.1:5000", "127.0.0.1:5001")).isFalse();
        assertThat(SkopeoPuller.matches("*.example.com", "registry.example.com")).isTrue();
        assertThat(SkopeoPuller.matches("*.example.com", "a.b.example.com")).isFalse();
        assertThat(SkopeoPuller.matches("quay.io", "docker.io")).isFalse();
    }

    @Test
    void matchingSecretsInOrderThenConfiguredThenAnonymous() {
        RegistryCredential configured = new RegistryCredential("mirror.example.com", "node", "n");
        RegistriesConfig.Endpoint mirror = new RegistriesConfig.Endpoint("mirror.example.com", false, configured);
        RegistryCredential forOrigin = new RegistryCredential("https://index.docker.io/v1/", "a", "1");
        RegistryCredential forMirror = new RegistryCredential("mirror.example.com", "b", "2");
        RegistryCredential unrelated = new RegistryCredential("quay.io", "c", "3");

        assertThat(SkopeoPuller.credentialsFor(mirror, "docker.io", List.of(unrelated, forOrigin, forMirror)))
                .containsExactly(forOrigin, forMirror, configured, null);
        assertThat(SkopeoPuller.credentialsFor(new RegistriesConfig.Endpoint("quay.io", false, null), "quay.io",
                List.of())).isEqualTo(Arrays.asList((RegistryCredential) null));
    }

    @Test
    void skopeoMessagesAreClassifiedAndScrubbed() {
        String notFound = "time=\"2026-11-27T01:13:21Z\" level=fatal msg=\"initializing source docker://h/nope:1: "
                + "reading manifest 1 in h/nope: manifest unknown: manifest unknown\"";
        assertThat(SkopeoPuller.detail(notFound, null))
                .isEqualTo("initializing source docker://h/nope:1: reading manifest 1 in h/nope: manifest unknown: "
                        + "manifest unknown");
        assertThat(SkopeoPuller.classify(SkopeoPuller.detail(notFound, null))).isEqualTo(SkopeoPuller.Failure.NOT_FOUND);
        assertThat(SkopeoPuller.classify("reading manifest 1 in h/app: unauthorized: authentication required"))
                .isEqualTo(SkopeoPuller.Failure.UNAUTHORIZED);
        assertThat(SkopeoPuller.classify("pinging container registry h: dial tcp: connect: connection refused"))
                .isEqualTo(SkopeoPuller.Failure.OTHER);
        assertThat(SkopeoPuller.detail("msg=\"bad password hunter2 echoed\"",
                new RegistryCredential("h", "u", "hunter2"))).isEqualTo("bad password ******** echoed");
    }
}

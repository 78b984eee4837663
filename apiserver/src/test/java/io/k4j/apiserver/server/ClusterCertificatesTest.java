package io.k4j.apiserver.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCertificatesTest {

    @TempDir
    Path dir;

    @Test
    void kubeletClientCertificateIsMadeOnceAndSignedByTheClusterCa() throws Exception {
        ClusterCertificates first = ClusterCertificates.loadOrCreate(dir, "127.0.0.1", Instant.now());
        var kubeletClient = first.kubeletClient().certificate();
        assertThat(kubeletClient.getSubjectX500Principal().getName())
                .contains("CN=kube-apiserver-kubelet-client").contains("O=system:masters");
        assertThat(first.authority().issued(kubeletClient)).isTrue();
        ClusterCertificates again = ClusterCertificates.loadOrCreate(dir, "127.0.0.1", Instant.now());
        assertThat(again.kubeletClient().certificate()).isEqualTo(kubeletClient);
    }
}

package io.k4j.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.pki.CertificateAuthority;
import io.k4j.pki.IssuedCertificate;
import io.k4j.pki.Pem;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingCertificatesTest {

    static final Instant NOW = Instant.parse("2026-11-27T01:00:00Z");

    @TempDir
    Path dir;

    private CertificateAuthority ca;

    @BeforeEach
    void clusterCa() throws Exception {
        ca = CertificateAuthority.create("k4j-ca", NOW);
        java.nio.file.Files.createDirectories(dir.resolve("server/tls"));
        Pem.writeCertificate(dir.resolve("server/tls/ca.crt"), ca.certificate().certificate());
        Pem.writePrivateKey(dir.resolve("server/tls/ca.key"), ca.certificate().privateKey());
    }

    @Test
    void issuedFromTheClusterCaOnceThenReused() throws Exception {
        AtomicInteger issued = new AtomicInteger();
        ServingCertificates.Issuer local = ServingCertificates.fromClusterCa(dir.resolve("server/tls"), NOW);
        ServingCertificates.Issuer counting = (name, dns, ips, cert, key) -> {
            issued.incrementAndGet();
            local.issue(name, dns, ips, cert, key);
        };

        IssuedCertificate first = load(List.of("node-1"), "10.0.0.5", counting, NOW);
        IssuedCertificate again = load(List.of("node-1"), "10.0.0.5", counting, NOW.plus(Duration.ofDays(100)));
        IssuedCertificate newAddress = load(List.of("node-1"), "10.0.0.6", counting, NOW);
        IssuedCertificate expiring = load(List.of("node-1"), "10.0.0.6", counting, NOW.plus(Duration.ofDays(340)));

        assertThat(issued).hasValue(3);
        assertThat(again.certificate()).isEqualTo(first.certificate());
        assertThat(newAddress.certificate()).isNotEqualTo(first.certificate());
        assertThat(expiring.certificate()).isNotEqualTo(newAddress.certificate());
        assertThat(ca.issued(first.certificate())).isTrue();
        assertThat(dir.resolve("agent/tls/serving-kubelet.crt")).exists();
        assertThat(dir.resolve("agent/tls/serving-kubelet.key")).exists();
    }

    private IssuedCertificate load(List<String> names, String ip, ServingCertificates.Issuer issuer, Instant now)
            throws Exception {
        return ServingCertificates.loadOrIssue(dir.resolve("agent/tls"), names.get(0), names,
                ServingCertificates.addresses(ip), ca.certificate().certificate(), issuer, now);
    }
}

package io.k4j.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void serverCertificatesCarryTheirNamesAndChainToTheCa() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("k4j-ca", NOW);
        IssuedCertificate server = ca.issueServer("k4j-apiserver", List.of("localhost", "kubernetes.default.svc"),
                List.of(InetAddress.getByName("127.0.0.1")), NOW);

        X509Certificate certificate = server.certificate();
        assertThat(ca.issued(certificate)).isTrue();
        assertThat(certificate.getSubjectAlternativeNames()).extracting(name -> (Object) name.get(1))
                .containsExactly("localhost", "kubernetes.default.svc", "127.0.0.1");
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(NOW.plus(CertificateAuthority.LEAF_VALIDITY));
        assertThat(ca.certificate().certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void clientCertificatesNameTheUserAndGroups() {
        CertificateAuthority ca = CertificateAuthority.create("k4j-ca", NOW);
        IssuedCertificate admin = ca.issueClient("admin", List.of("system:masters"), NOW);
        assertThat(admin.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=admin,O=system:masters");
        assertThat(admin.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void certificatesAndKeysRoundTripThroughPemFilesAndKeysStayPrivate() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("k4j-ca", NOW);
        Pem.writeCertificate(dir.resolve("ca.crt"), ca.certificate().certificate());
        Pem.writePrivateKey(dir.resolve("ca.key"), ca.certificate().privateKey());

        CertificateAuthority reloaded = new CertificateAuthority(new IssuedCertificate(
                Pem.readCertificate(dir.resolve("ca.crt")), Pem.readPrivateKey(dir.resolve("ca.key"))));
        IssuedCertificate client = reloaded.issueClient("node", List.of("system:nodes"), NOW);

        assertThat(ca.issued(client.certificate())).isTrue();
        assertThat(Files.readString(dir.resolve("ca.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key"))))
                .isEqualTo("rw-------");
    }
}

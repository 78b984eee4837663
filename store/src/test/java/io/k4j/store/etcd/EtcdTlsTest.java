package io.k4j.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k4j.pki.CertificateAuthority;
import io.k4j.pki.IssuedCertificate;
import io.k4j.pki.Pem;
import io.k4j.store.StoreStartupException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The etcd backend over mutual TLS, against an etcd that requires client certificates. */
class EtcdTlsTest {

    @TempDir
    static Path dir;

    private static LocalEtcdCluster cluster;
    private static CertificateAuthority ca;

    @BeforeAll
    static void startTlsEtcd() throws Exception {
        Assumptions.assumeTrue(LocalEtcdCluster.findBinary().isPresent(),
                "skipped: no etcd binary (apt-get install etcd-server; .ci/run installs it)");
        Instant now = Instant.now();
        ca = CertificateAuthority.create("etcd-test-ca", now);
        IssuedCertificate server = ca.issueServer("etcd", List.of("localhost"),
                List.of(InetAddress.getByName("127.0.0.1")), now);
        write("ca", ca.certificate());
        write("server", server);
        write("client", ca.issueClient("k4j", List.of(), now));
        cluster = LocalEtcdCluster.start(1, new LocalEtcdCluster.Tls(
                dir.resolve("ca.crt"), dir.resolve("server.crt"), dir.resolve("server.key")));
    }

    private static void write(String name, IssuedCertificate issued) throws Exception {
        Pem.writeCertificate(dir.resolve(name + ".crt"), issued.certificate());
        Pem.writePrivateKey(dir.resolve(name + ".key"), issued.privateKey());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Refusals come fast; a short timeout and one attempt keep the tests that expect them quick. */
    private static EtcdOptions.Builder options(List<URI> endpoints) {
        return EtcdOptions.builder(endpoints).keyPrefix("/tls").requestTimeout(Duration.ofSeconds(2)).startupAttempts(1);
    }

    /** A TLS handshake and the first request can take seconds on a busy machine. */
    private static EtcdOptions.Builder patientOptions(List<URI> endpoints) {
        return options(endpoints).requestTimeout(Duration.ofSeconds(15)).startupAttempts(3);
    }

    @Test
    void withTheClusterCaAndAClientCertificateEverythingWorks() {
        try (EtcdStore store = EtcdStore.connect(patientOptions(cluster.endpoints())
                .tls(dir.resolve("ca.crt"), dir.resolve("client.crt"), dir.resolve("client.key")).build())) {
            store.create("/secret", "over tls".getBytes(StandardCharsets.UTF_8));
            assertThat(store.get("/secret").kv().orElseThrow().valueAsString()).isEqualTo("over tls");
        }
    }

    @Test
    void withoutAClientCertificateTheClusterRefusesAndStartupSaysSo() {
        assertThatThrownBy(() -> EtcdStore.connect(options(cluster.endpoints())
                .tls(dir.resolve("ca.crt"), null, null).build()))
                .isInstanceOf(StoreStartupException.class)
                .hasMessageContaining(cluster.endpoint(0).toString());
    }
}

package io.k4j.ingress.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.k4j.ingress.Fixtures;
import io.k4j.pki.CertificateAuthority;
import io.k4j.pki.IssuedCertificate;
import io.k4j.pki.Pem;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TlsSecretParserTest {

    private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");
    private static final CertificateAuthority CA = CertificateAuthority.create("test-ca", NOW);
    private static final IssuedCertificate SITE = CA.issueServer("site.test", List.of("site.test"), List.of(), NOW);
    private static final IssuedCertificate OTHER = CA.issueServer("other.test", List.of("other.test"), List.of(), NOW);

    @Test
    void readsTheChainAndKeyInPkcs8AndTraditionalForms() throws Exception {
        Secret pkcs8 = Fixtures.tlsSecret("ns", "site", SITE);
        assertThat(TlsSecretParser.parse(pkcs8).chain()).containsExactly(SITE.certificate());
        Secret sec1 = new SecretBuilder(pkcs8).addToData("tls.key",
                Fixtures.base64(Pem.encodeTraditional(SITE.privateKey()))).build();
        assertThat(TlsSecretParser.parse(sec1).key().getAlgorithm()).isIn("EC", "ECDSA");
        Secret withChain = new SecretBuilder(pkcs8).addToData("tls.crt", Fixtures.base64(SITE.certificatePem()
                + CA.certificate().certificatePem())).build();
        assertThat(TlsSecretParser.parse(withChain).chain()).hasSize(2);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            wrong type           | type is Opaque, not kubernetes.io/tls
            no key               | has no tls.key
            key not base64       | tls.key is not base64
            garbage key          | tls.key holds no private key
            broken key PEM       | tls.key is not a readable PEM private key
            key of another cert  | tls.key does not match the certificate in tls.crt
            no certificate       | tls.crt holds no certificate
            """)
    void explainsWhatIsWrongWithoutQuotingTheKey(String problem, String message) {
        Secret good = Fixtures.tlsSecret("ns", "site", SITE);
        String secretText = "c2VjcmV0LWtleS1ieXRlcw";
        SecretBuilder bad = new SecretBuilder(good);
        switch (problem) {
            case "wrong type" -> bad.withType("Opaque");
            case "no key" -> bad.removeFromData("tls.key");
            case "key not base64" -> bad.addToData("tls.key", "%%%" + secretText);
            case "garbage key" -> bad.addToData("tls.key", Fixtures.base64("just text " + secretText));
            case "broken key PEM" -> bad.addToData("tls.key", Fixtures.base64(
                    "-----BEGIN PRIVATE KEY-----\n" + secretText + "\n-----END PRIVATE KEY-----\n"));
            case "key of another cert" -> bad.addToData("tls.key", Fixtures.base64(OTHER.privateKeyPem()));
            case "no certificate" -> bad.addToData("tls.crt", Fixtures.base64("nothing here"));
            default -> throw new IllegalArgumentException(problem);
        }
        assertThatThrownBy(() -> TlsSecretParser.parse(bad.build())).isInstanceOf(InvalidTlsSecretException.class)
                .hasMessage(message).message().doesNotContain(secretText);
    }
}

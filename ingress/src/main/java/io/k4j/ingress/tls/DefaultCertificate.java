package io.k4j.ingress.tls;

import io.k4j.pki.CertificateAuthority;
import io.k4j.pki.IssuedCertificate;
import io.netty.handler.ssl.SslContext;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLException;

/** The certificate served when no Secret matches the server name: self-made at start, as ingress-nginx's "fake". */
public final class DefaultCertificate {

    public static final String COMMON_NAME = "k4j ingress default certificate";

    private DefaultCertificate() {
    }

    public static SslContext create(Instant now) {
        CertificateAuthority ca = CertificateAuthority.create("k4j-ingress-default-ca", now);
        IssuedCertificate leaf = ca.issueServer(COMMON_NAME, List.of("ingress.local"), List.of(), now);
        try {
            return ServerTls.context(leaf.privateKey(), leaf.certificate(), ca.certificate().certificate());
        } catch (SSLException e) {
            throw new IllegalStateException("cannot make the default ingress certificate", e);
        }
    }
}

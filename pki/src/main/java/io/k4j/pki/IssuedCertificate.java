package io.k4j.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A certificate and its private key. The key never appears in {@link #toString()}. */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey) {

    public String certificatePem() {
        return Pem.encode(certificate);
    }

    public String privateKeyPem() {
        return Pem.encode(privateKey);
    }

    @Override
    public String toString() {
        return "IssuedCertificate[" + certificate.getSubjectX500Principal() + "]";
    }
}

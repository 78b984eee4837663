package io.k4j.ingress.tls;

import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads a kubernetes.io/tls Secret (tls.crt chain, tls.key in PKCS#8, PKCS#1 or SEC1) and checks the key signs for
 * the certificate. Errors say what is wrong without ever quoting the key.
 */
public final class TlsSecretParser {

    public static final String TLS_TYPE = "kubernetes.io/tls";

    private TlsSecretParser() {
    }

    public record KeyAndChain(PrivateKey key, List<X509Certificate> chain) {

        @Override
        public String toString() {
            return "KeyAndChain[" + chain.getFirst().getSubjectX500Principal() + "]";
        }
    }

    public static KeyAndChain parse(Secret secret) throws InvalidTlsSecretException {
        if (!TLS_TYPE.equals(secret.getType())) {
            throw new InvalidTlsSecretException("type is " + secret.getType() + ", not " + TLS_TYPE);
        }
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        String certificates = decode(data, "tls.crt");
        String key = decode(data, "tls.key");
        List<X509Certificate> chain = readCertificates(certificates);
        PrivateKey privateKey = readKey(key);
        checkPair(privateKey, chain.getFirst());
        return new KeyAndChain(privateKey, chain);
    }

    private static String decode(Map<String, String> data, String field) throws InvalidTlsSecretException {
        String encoded = data.get(field);
        if (encoded == null || encoded.isEmpty()) {
            throw new InvalidTlsSecretException("has no " + field);
        }
        try {
            return new String(Base64.getDecoder().decode(encoded), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw new InvalidTlsSecretException(field + " is not base64");
        }
    }

    private static List<X509Certificate> readCertificates(String pem) throws InvalidTlsSecretException {
        List<X509Certificate> chain = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof X509CertificateHolder holder) {
                    chain.add(new JcaX509CertificateConverter().getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException e) {
            throw new InvalidTlsSecretException("tls.crt is not a PEM certificate chain");
        }
        if (chain.isEmpty()) {
            throw new InvalidTlsSecretException("tls.crt holds no certificate");
        }
        return chain;
    }

    private static PrivateKey readKey(String pem) throws InvalidTlsSecretException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
        } catch (IOException | RuntimeException e) {
            // The parser's message may quote the key's text: say only that it is unreadable.
            throw new InvalidTlsSecretException("tls.key is not a readable PEM private key");
        }
        throw new InvalidTlsSecretException("tls.key holds no private key");
    }

    private static void checkPair(PrivateKey key, X509Certificate certificate) throws InvalidTlsSecretException {
        byte[] probe = "k4j-ingress".getBytes(StandardCharsets.US_ASCII);
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new InvalidTlsSecretException("tls.key has an unsupported algorithm "
                    + key.getAlgorithm());
        };
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new InvalidTlsSecretException("tls.key does not match the certificate in tls.crt");
            }
        } catch (GeneralSecurityException e) {
            throw new InvalidTlsSecretException("tls.key does not match the certificate in tls.crt");
        }
    }
}

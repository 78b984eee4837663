package io.k4j.pki;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority that issues k4j's certificates: servers (with their DNS and IP names) and clients
 * (common name = user, organizations = groups, as Kubernetes reads them). Keys are ECDSA P-256. Validity as
 * k3s: ten years for the CA, one year for what it issues.
 */
public final class CertificateAuthority {

    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    public static final Duration LEAF_VALIDITY = Duration.ofDays(365);
    /** Certificates start a little in the past so a peer whose clock is slightly behind accepts them. */
    private static final Duration BACKDATE = Duration.ofHours(1);

    private static final java.security.Provider BOUNCY_CASTLE =
            new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private final IssuedCertificate ca;
    private final SecureRandom random;

    public CertificateAuthority(IssuedCertificate ca) {
        this.ca = ca;
        this.random = new SecureRandom();
    }

    /** Creates a new self-signed CA. */
    public static CertificateAuthority create(String commonName, Instant now) {
        SecureRandom random = new SecureRandom();
        KeyPair keys = newKeyPair(random);
        X500Name name = name(commonName, List.of());
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(random),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)), name, keys.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate certificate = sign(builder, keys);
            return new CertificateAuthority(new IssuedCertificate(certificate, keys.getPrivate()));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create a CA certificate", e);
        }
    }

    public IssuedCertificate certificate() {
        return ca;
    }

    /** A server certificate for the given DNS names and IP addresses. */
    public IssuedCertificate issueServer(String commonName, List<String> dnsNames, List<InetAddress> addresses,
                                         Instant now) {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        addresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip.getHostAddress())));
        return issue(commonName, List.of(), KeyPurposeId.id_kp_serverAuth, names, now);
    }

    /** A client certificate: Kubernetes reads the common name as the user and organizations as groups. */
    public IssuedCertificate issueClient(String user, List<String> groups, Instant now) {
        return issue(user, groups, KeyPurposeId.id_kp_clientAuth, List.of(), now);
    }

    private IssuedCertificate issue(String commonName, List<String> organizations, KeyPurposeId purpose,
                                    List<GeneralName> subjectAltNames, Instant now) {
        KeyPair keys = newKeyPair(random);
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(random),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(LEAF_VALIDITY)),
                    name(commonName, organizations), keys.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    extensions.createAuthorityKeyIdentifier(ca.certificate()));
            if (!subjectAltNames.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(subjectAltNames.toArray(GeneralName[]::new)));
            }
            return new IssuedCertificate(sign(builder, new KeyPair(ca.certificate().getPublicKey(), ca.privateKey())),
                    keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName, e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static X500Name name(String commonName, List<String> organizations) {
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
        organizations.forEach(organization -> name.addRDN(BCStyle.O, organization));
        name.addRDN(BCStyle.CN, commonName);
        return name.build();
    }

    private static KeyPair newKeyPair(SecureRandom random) {
        try {
            // BouncyCastle's keys encode the curve and public key inside the private key (full SEC1), which some
            // clients (fabric8) require when they read an "EC PRIVATE KEY".
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BOUNCY_CASTLE);
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no ECDSA P-256 in this JVM", e);
        }
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    /** Whether {@code certificate} was signed by this CA's key. */
    public boolean issued(X509Certificate certificate) {
        PublicKey key = ca.certificate().getPublicKey();
        try {
            certificate.verify(key);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}

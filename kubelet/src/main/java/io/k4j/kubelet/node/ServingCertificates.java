package io.k4j.kubelet.node;

import io.k4j.pki.CertificateAuthority;
import io.k4j.pki.IssuedCertificate;
import io.k4j.pki.Pem;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The kubelet's serving certificate (for its streaming server), kept in DATA_DIR/agent/tls/serving-kubelet.{crt,key}
 * as k3s keeps it, and reused while it names every SAN the node answers to, was signed by the cluster CA and has more
 * than 30 days left; otherwise issued again.
 */
public final class ServingCertificates {

    static final String NAME = "serving-kubelet";
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    /** Issues a certificate for the node's names; from the local CA (all-in-one) or the server (agent). */
    @FunctionalInterface
    public interface Issuer {
        /** Writes the new certificate and key to {@code certFile} and {@code keyFile}. */
        void issue(String nodeName, List<String> dnsNames, List<InetAddress> addresses, Path certFile, Path keyFile)
                throws IOException;
    }

    private ServingCertificates() {
    }

    /** The DNS names and addresses of a node: its name and hostname, its IP and 127.0.0.1. */
    public static List<String> dnsNames(String nodeName, String hostname) {
        return hostname == null || hostname.equals(nodeName) ? List.of(nodeName) : List.of(nodeName, hostname);
    }

    public static List<InetAddress> addresses(String nodeIp) throws IOException {
        Set<InetAddress> addresses = new java.util.LinkedHashSet<>();
        addresses.add(InetAddress.getByName(nodeIp));
        addresses.add(InetAddress.getByName(NodeAddresses.LOOPBACK));
        return List.copyOf(addresses);
    }

    /** The certificate in {@code agentTlsDir}, issued anew when it is missing, stale or lacks a name. */
    public static IssuedCertificate loadOrIssue(Path agentTlsDir, String nodeName, List<String> dnsNames,
            List<InetAddress> addresses, X509Certificate ca, Issuer issuer, Instant now) throws IOException {
        Files.createDirectories(agentTlsDir);
        Path certFile = agentTlsDir.resolve(NAME + ".crt");
        Path keyFile = agentTlsDir.resolve(NAME + ".key");
        if (Files.exists(certFile) && Files.exists(keyFile)) {
            IssuedCertificate existing = new IssuedCertificate(Pem.readCertificate(certFile), Pem.readPrivateKey(keyFile));
            if (usable(existing.certificate(), dnsNames, addresses, ca, now)) {
                return existing;
            }
        }
        issuer.issue(nodeName, dnsNames, addresses, certFile, keyFile);
        return new IssuedCertificate(Pem.readCertificate(certFile), Pem.readPrivateKey(keyFile));
    }

    /** All-in-one: the cluster CA in DATA_DIR/server/tls signs the certificate here. */
    public static Issuer fromClusterCa(Path serverTlsDir, Instant now) throws IOException {
        CertificateAuthority ca = new CertificateAuthority(new IssuedCertificate(
                Pem.readCertificate(serverTlsDir.resolve("ca.crt")), Pem.readPrivateKey(serverTlsDir.resolve("ca.key"))));
        return (nodeName, dnsNames, addresses, certFile, keyFile) -> {
            IssuedCertificate issued = ca.issueServer("system:node:" + nodeName, dnsNames, addresses, now);
            Pem.writeCertificate(certFile, issued.certificate());
            Pem.writePrivateKey(keyFile, issued.privateKey());
        };
    }

    static boolean usable(X509Certificate certificate, List<String> dnsNames, List<InetAddress> addresses,
            X509Certificate ca, Instant now) {
        try {
            certificate.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            return false;
        }
        if (certificate.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
            return false;
        }
        Set<String> names = new HashSet<>();
        try {
            var alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                alternatives.forEach(entry -> names.add(String.valueOf(entry.get(1))));
            }
        } catch (CertificateParsingException e) {
            return false;
        }
        return names.containsAll(dnsNames)
                && addresses.stream().allMatch(address -> names.contains(address.getHostAddress()));
    }
}

package io.k4j.apiserver.server;

import io.k4j.pki.CertificateAuthority;
import io.k4j.pki.IssuedCertificate;
import io.k4j.pki.Pem;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The cluster's certificates in DATA_DIR/server/tls: a CA, the API server's serving certificate and the admin's
 * client certificate (CN=admin, O=system:masters). Made on first start, reused after; a serving certificate that
 * lacks a name the server now answers to is issued again.
 */
public final class ClusterCertificates {

    private final Path dir;
    private final CertificateAuthority ca;
    private final IssuedCertificate server;
    private final IssuedCertificate admin;
    private final IssuedCertificate kubeletClient;

    private ClusterCertificates(Path dir, CertificateAuthority ca, IssuedCertificate server, IssuedCertificate admin,
                                IssuedCertificate kubeletClient) {
        this.dir = dir;
        this.ca = ca;
        this.server = server;
        this.admin = admin;
        this.kubeletClient = kubeletClient;
    }

    public static ClusterCertificates loadOrCreate(Path dir, String bindAddress, Instant now) throws IOException {
        Files.createDirectories(dir);
        CertificateAuthority ca;
        if (Files.exists(dir.resolve("ca.crt")) && Files.exists(dir.resolve("ca.key"))) {
            ca = new CertificateAuthority(read(dir, "ca"));
        } else {
            ca = CertificateAuthority.create("k4j-ca@" + now.getEpochSecond(), now);
            write(dir, "ca", ca.certificate());
        }
        List<String> dnsNames = new ArrayList<>(List.of("localhost", "kubernetes", "kubernetes.default",
                "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"));
        String hostname = InetAddress.getLocalHost().getHostName();
        if (!dnsNames.contains(hostname)) {
            dnsNames.add(hostname);
        }
        Set<InetAddress> addresses = new LinkedHashSet<>(List.of(InetAddress.getByName("127.0.0.1"),
                InetAddress.getByName("10.43.0.1")));
        InetAddress bind = InetAddress.getByName(bindAddress);
        if (!bind.isAnyLocalAddress()) {
            addresses.add(bind);
        }
        IssuedCertificate server = null;
        if (Files.exists(dir.resolve("server.crt")) && Files.exists(dir.resolve("server.key"))) {
            server = read(dir, "server");
            if (!covers(server, dnsNames, addresses) || !ca.issued(server.certificate())) {
                server = null;
            }
        }
        if (server == null) {
            server = ca.issueServer("kube-apiserver", dnsNames, List.copyOf(addresses), now);
            write(dir, "server", server);
        }
        IssuedCertificate admin = readOrIssueClient(dir, ca, "admin", "admin", now);
        IssuedCertificate kubeletClient = readOrIssueClient(dir, ca, "kubelet-client", KUBELET_CLIENT_USER, now);
        return new ClusterCertificates(dir, ca, server, admin, kubeletClient);
    }

    /** The user the API server is to kubelets (upstream's kubeadm name), in system:masters. */
    public static final String KUBELET_CLIENT_USER = "kube-apiserver-kubelet-client";

    private static IssuedCertificate readOrIssueClient(Path dir, CertificateAuthority ca, String file, String user,
                                                       Instant now) throws IOException {
        if (Files.exists(dir.resolve(file + ".crt")) && Files.exists(dir.resolve(file + ".key"))) {
            return read(dir, file);
        }
        IssuedCertificate issued = ca.issueClient(user, List.of("system:masters"), now);
        write(dir, file, issued);
        return issued;
    }

    private static boolean covers(IssuedCertificate certificate, List<String> dnsNames, Set<InetAddress> addresses) {
        try {
            Set<String> names = new java.util.HashSet<>();
            var alternatives = certificate.certificate().getSubjectAlternativeNames();
            if (alternatives != null) {
                alternatives.forEach(entry -> names.add(String.valueOf(entry.get(1))));
            }
            return names.containsAll(dnsNames)
                    && addresses.stream().allMatch(address -> names.contains(address.getHostAddress()));
        } catch (java.security.cert.CertificateParsingException e) {
            return false;
        }
    }

    private static IssuedCertificate read(Path dir, String name) throws IOException {
        return new IssuedCertificate(Pem.readCertificate(dir.resolve(name + ".crt")),
                Pem.readPrivateKey(dir.resolve(name + ".key")));
    }

    private static void write(Path dir, String name, IssuedCertificate issued) throws IOException {
        Pem.writeCertificate(dir.resolve(name + ".crt"), issued.certificate());
        Pem.writePrivateKey(dir.resolve(name + ".key"), issued.privateKey());
    }

    public CertificateAuthority authority() {
        return ca;
    }

    public IssuedCertificate admin() {
        return admin;
    }

    /** The API server's client certificate for kubelets (CN=kube-apiserver-kubelet-client, O=system:masters). */
    public IssuedCertificate kubeletClient() {
        return kubeletClient;
    }

    public Path caFile() {
        return dir.resolve("ca.crt");
    }

    /** TLS for the API server: ALPN h2 and http/1.1, client certificates optional and checked against the CA. */
    public SslContext serverContext() throws IOException {
        return SslContextBuilder.forServer(server.privateKey(), server.certificate(), ca.certificate().certificate())
                .sslProvider(SslProvider.JDK)
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .clientAuth(ClientAuth.OPTIONAL)
                .trustManager(ca.certificate().certificate())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                .build();
    }
}

package io.k4j.apiserver.proxy;

import io.k4j.pki.IssuedCertificate;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the API server talks to kubelets: with its kubelet client certificate (CN=kube-apiserver-kubelet-client,
 * O=system:masters), trusting only kubelet serving certificates issued by the cluster CA for the address dialled.
 */
public final class KubeletConnector {

    private final SslContext relayTls;
    private final HttpClient http;

    public KubeletConnector(IssuedCertificate clientCertificate, X509Certificate clusterCa) throws IOException {
        try {
            // HTTP/1.1 only: the upgrades relayed through it are HTTP/1.1 upgrades. Netty verifies the host name.
            this.relayTls = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                    .keyManager(clientCertificate.privateKey(), clientCertificate.certificate())
                    .trustManager(clusterCa)
                    .endpointIdentificationAlgorithm("HTTPS")
                    .build();
            this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .sslContext(jdkContext(clientCertificate, clusterCa))
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS to kubelets: " + e.getMessage(), e);
        }
    }

    SslContext relayTls() {
        return relayTls;
    }

    HttpClient http() {
        return http;
    }

    private static SSLContext jdkContext(IssuedCertificate client, X509Certificate ca)
            throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", client.privateKey(), new char[0], new Certificate[] {client.certificate()});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }
}

package io.k4j.bench.apiserver;

import io.k4j.pki.ClientTls;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A server under test: its name, URL, how to talk to it (TLS settings, HTTP version) and its process id. */
record Target(String name, String url, SSLContext tls, String token, long pid) {

    HttpClient client(HttpClient.Version version) {
        return HttpClient.newBuilder().sslContext(tls).version(version).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** k4j: trust its CA and present the admin certificate from its data dir. */
    static Target k4j(String url, Path tlsDir, String token, long pid) throws Exception {
        SSLContext context = ClientTls.context(tlsDir.resolve("ca.crt"), tlsDir.resolve("admin.crt"),
                tlsDir.resolve("admin.key"));
        return new Target("k4j (sqlite)", url, context, token, pid);
    }

    /** The mock server's self-signed certificate: trusted blindly, as only loopback is involved. */
    static Target mock(String url) throws Exception {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
        return new Target("fabric8 mock (CRUD)", url, context, null, -1);
    }
}

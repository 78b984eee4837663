package io.k4j.kubelet.node;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How an agent joins a server it knows only by URL and token, as k3s's agents do: it fetches the cluster CA from
 * the anonymous {@code GET /cacerts}, checks it against the token's CA hash (or, for a bare token, against the CA it
 * saw the first time, else trusts it on first use), then asks {@code POST /k4j/v1/kubelet-serving-certificate} for
 * its serving certificate, authenticated with the token.
 */
public final class ClusterJoin {

    public static final String CA_PATH = "/cacerts";
    public static final String SERVING_CERTIFICATE_PATH = "/k4j/v1/kubelet-serving-certificate";
    static final String CA_FILE = "server-ca.crt";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /**
     * The cluster CA an agent trusts.
     *
     * @param warning what the user should know (the CA was trusted on first use), or null when it was verified
     */
    public record TrustedCa(byte[] pem, Path file, String warning) {
    }

    private ClusterJoin() {
    }

    /** Fetches, checks and saves (DIR/server-ca.crt) the server's CA. */
    public static TrustedCa trustCa(URI server, JoinToken token, Path agentTlsDir) throws IOException {
        byte[] served = get(trustingAnyone(), server.resolve(CA_PATH));
        Path file = agentTlsDir.resolve(CA_FILE);
        String warning = null;
        if (token.hasCaHash()) {
            if (!token.matches(served)) {
                throw new IOException("the CA served by " + server + " does not match the join token's CA hash "
                        + token.caHash() + ": refusing to join (is this the right server?)");
            }
        } else if (Files.exists(file)) {
            if (!java.util.Arrays.equals(Files.readAllBytes(file), served)) {
                throw new IOException("the CA served by " + server + " differs from the one trusted before (" + file
                        + "): refusing to join; delete that file to trust the new CA");
            }
        } else {
            warning = "the join token has no CA hash, so the server's CA is trusted on first use; use the full token "
                    + "(K10<hash>::server:<secret>, in the server's DATA_DIR/server/node-token) to verify it";
        }
        certificates(served); // it must at least be a certificate
        Files.createDirectories(agentTlsDir);
        Files.write(file, served);
        return new TrustedCa(served, file, warning);
    }

    /** An issuer that asks the server (trusted through {@code ca}) to sign the node's serving certificate. */
    public static ServingCertificates.Issuer servingCertificateIssuer(URI server, JoinToken token, TrustedCa ca) {
        return (nodeName, dnsNames, addresses, certFile, keyFile) -> {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("nodeName", nodeName);
            request.put("dnsNames", dnsNames);
            request.put("addresses", addresses.stream().map(InetAddress::getHostAddress).toList());
            byte[] answer = post(trusting(ca.pem()), server.resolve(SERVING_CERTIFICATE_PATH), token.secret(),
                    Serialization.asJson(request));
            @SuppressWarnings("unchecked")
            Map<String, Object> issued = Serialization.unmarshal(new String(answer, StandardCharsets.UTF_8), Map.class);
            Object certificate = issued.get("certificate");
            Object key = issued.get("key");
            if (!(certificate instanceof String) || !(key instanceof String)) {
                throw new IOException("the server's answer to " + SERVING_CERTIFICATE_PATH + " has no certificate and key");
            }
            Files.writeString(certFile, (String) certificate, StandardCharsets.US_ASCII);
            Files.deleteIfExists(keyFile);
            Files.createFile(keyFile, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(keyFile, (String) key, StandardCharsets.US_ASCII);
        };
    }

    /** The first certificate of a PEM bundle. */
    public static X509Certificate firstCertificate(byte[] pem) throws IOException {
        return (X509Certificate) certificates(pem).get(0);
    }

    private static List<? extends Certificate> certificates(byte[] pem) throws IOException {
        try {
            List<? extends Certificate> all = List.copyOf(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem)));
            if (all.isEmpty()) {
                throw new IOException("the server's CA bundle holds no certificate");
            }
            return all;
        } catch (java.security.cert.CertificateException e) {
            throw new IOException("the server's CA bundle cannot be read: " + e.getMessage(), e);
        }
    }

    static SSLContext trusting(byte[] caPem) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates(caPem)) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust the server's CA: " + e.getMessage(), e);
        }
    }

    /** Only for fetching /cacerts, whose answer is checked afterwards (hash or first use). */
    private static SSLContext trustingAnyone() {
        return io.k4j.pki.AnyServerTls.context();
    }

    private static byte[] get(SSLContext tls, URI uri) throws IOException {
        return send(tls, HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build());
    }

    private static byte[] post(SSLContext tls, URI uri, String bearer, String json) throws IOException {
        return send(tls, HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static byte[] send(SSLContext tls, HttpRequest request) throws IOException {
        try (HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IOException(request.method() + " " + request.uri() + " answered " + response.statusCode()
                        + ": " + new String(response.body(), StandardCharsets.UTF_8).trim());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while talking to " + request.uri(), e);
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot reach " + request.uri() + ": connection refused", e);
        }
    }

}

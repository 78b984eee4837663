package io.k4j.pki;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A TLS client context that accepts any server certificate, for the two places where that is what upstream does:
 * HTTPS probes and hooks (which never verify), and an agent's first fetch of /cacerts (whose answer is checked
 * against the join token's CA hash afterwards). Nothing else may use it.
 */
public final class AnyServerTls {

    private static final SSLContext CONTEXT = create();

    private AnyServerTls() {
    }

    public static SSLContext context() {
        return CONTEXT;
    }

    /**
     * A context of its own, with its own session cache: a shared one resumes an earlier session with the same
     * address and port, and with it that server's certificate, whatever server name is asked for next.
     */
    public static SSLContext newContext() {
        return create();
    }

    private static SSLContext create() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AcceptAll()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JDK", e);
        }
    }

    /** Extended, so the JDK does not add its own host name check on top. */
    private static final class AcceptAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

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
    }
}

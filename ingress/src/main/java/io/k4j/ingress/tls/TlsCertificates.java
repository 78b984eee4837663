package io.k4j.ingress.tls;

import io.fabric8.kubernetes.api.model.Secret;
import io.k4j.ingress.routing.RoutingTable;
import io.k4j.ingress.routing.SecretRef;
import io.netty.handler.ssl.SslContext;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS contexts of the Secrets a routing table names, kept across rebuilds by Secret uid and resourceVersion so
 * an unchanged Secret is not parsed again. A Secret that is missing or bad is logged once per version (never its
 * key) and its hosts get the default certificate.
 */
public final class TlsCertificates {

    private static final Logger LOG = LoggerFactory.getLogger(TlsCertificates.class);

    private final SslContext defaultContext;
    private final Map<String, SslContext> byVersion = new HashMap<>();
    private final Map<String, String> warned = new HashMap<>();

    public TlsCertificates(SslContext defaultContext) {
        this.defaultContext = defaultContext;
    }

    public SslContext defaultContext() {
        return defaultContext;
    }

    /** The contexts for a table's Secrets, found through {@code secrets} ("namespace/name" to Secret or null). */
    public synchronized Map<SecretRef, SslContext> contextsFor(RoutingTable table, Function<SecretRef, Secret> secrets) {
        Map<SecretRef, SslContext> contexts = new HashMap<>();
        Map<String, SslContext> kept = new HashMap<>();
        for (SecretRef ref : table.certificateSecrets()) {
            Secret secret = secrets.apply(ref);
            if (secret == null) {
                warnOnce(ref, "absent", "TLS secret {} does not exist; its hosts get the default certificate", ref);
                continue;
            }
            String version = secret.getMetadata().getUid() + "@" + secret.getMetadata().getResourceVersion();
            SslContext context = byVersion.get(version);
            if (context == null) {
                context = load(ref, secret, version);
            }
            if (context != null) {
                kept.put(version, context);
                contexts.put(ref, context);
            }
        }
        byVersion.keySet().retainAll(kept.keySet());
        byVersion.putAll(kept);
        return Map.copyOf(contexts);
    }

    private SslContext load(SecretRef ref, Secret secret, String version) {
        try {
            TlsSecretParser.KeyAndChain parsed = TlsSecretParser.parse(secret);
            SslContext context = ServerTls.context(parsed.key(), parsed.chain().toArray(X509Certificate[]::new));
            warned.remove(ref.toString());
            return context;
        } catch (InvalidTlsSecretException e) {
            warnOnce(ref, version, "TLS secret {} cannot be served ({}); its hosts get the default certificate",
                    ref, e.getMessage());
        } catch (SSLException e) {
            warnOnce(ref, version, "TLS secret {} cannot be served (the TLS engine refuses it); its hosts get the"
                    + " default certificate", ref);
        }
        return null;
    }

    private void warnOnce(SecretRef ref, String version, String message, Object... arguments) {
        if (!version.equals(warned.put(ref.toString(), version))) {
            LOG.warn(message, arguments);
        }
    }
}

package io.k4j.store.etcd;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to reach an etcd cluster. Build with {@link #builder(List)}.
 *
 * @param endpoints       client URLs of the members (http:// or, with TLS, https://)
 * @param keyPrefix       every key k4j writes lives under this prefix, invisible to k4j itself
 * @param requestTimeout  a request that gets no answer in this time fails as unavailable
 * @param startupAttempts how often the first contact is tried before the store refuses to start
 * @param caFile          CA bundle to verify the members with, or null for plain text
 * @param certFile        client certificate for mutual TLS, or null
 * @param keyFile         client key (PKCS#8 PEM) for mutual TLS, or null
 */
public record EtcdOptions(List<URI> endpoints, String keyPrefix, Duration requestTimeout, int startupAttempts,
                          Path caFile, Path certFile, Path keyFile) {

    public EtcdOptions {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("at least one etcd endpoint is needed");
        }
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (startupAttempts < 1) {
            throw new IllegalArgumentException("startupAttempts must be at least 1");
        }
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("a client certificate and its key go together");
        }
    }

    public boolean tls() {
        return caFile != null;
    }

    public static Builder builder(List<URI> endpoints) {
        return new Builder(endpoints);
    }

    /** Defaults: no prefix, 3 s requests, 5 start-up attempts, no TLS. */
    public static final class Builder {
        private final List<URI> endpoints;
        private String keyPrefix = "";
        private Duration requestTimeout = Duration.ofSeconds(3);
        private int startupAttempts = 5;
        private Path caFile;
        private Path certFile;
        private Path keyFile;

        private Builder(List<URI> endpoints) {
            this.endpoints = endpoints;
        }

        public Builder keyPrefix(String prefix) {
            this.keyPrefix = prefix;
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        public Builder startupAttempts(int attempts) {
            this.startupAttempts = attempts;
            return this;
        }

        public Builder tls(Path ca, Path cert, Path key) {
            this.caFile = ca;
            this.certFile = cert;
            this.keyFile = key;
            return this;
        }

        public EtcdOptions build() {
            return new EtcdOptions(endpoints, keyPrefix, requestTimeout, startupAttempts, caFile, certFile, keyFile);
        }
    }
}

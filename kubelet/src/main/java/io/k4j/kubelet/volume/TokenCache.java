package io.k4j.kubelet.volume;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The projected service-account tokens of the pods on this node, renewed as upstream's token manager does: once 80%
 * of a token's lifetime has passed, or after 24 hours.
 */
final class TokenCache {

    private static final Duration MAX_AGE = Duration.ofHours(24);

    private record Cached(TokenSource.Token token, Instant renewAt) {
    }

    private record Key(String podUid, String volume, String path) {
    }

    private final TokenSource source;
    private final InstantSource clock;
    private final Map<Key, Cached> tokens = new ConcurrentHashMap<>();

    TokenCache(TokenSource source, InstantSource clock) {
        this.source = source;
        this.clock = clock;
    }

    /** The token for a volume's projection: the cached one until it is due for renewal. */
    String token(Pod pod, String volume, ServiceAccountTokenProjection projection) throws Exception {
        Key key = new Key(pod.getMetadata().getUid(), volume, projection.getPath());
        Instant now = clock.instant();
        Cached cached = tokens.get(key);
        if (cached != null && now.isBefore(cached.renewAt())) {
            return cached.token().token();
        }
        String account = pod.getSpec().getServiceAccountName();
        String audience = projection.getAudience();
        TokenSource.Token token = source.request(pod.getMetadata().getNamespace(),
                account == null || account.isEmpty() ? "default" : account,
                audience == null || audience.isEmpty() ? List.of() : List.of(audience),
                projection.getExpirationSeconds(), pod);
        Duration lifetime = Duration.between(now, token.expires());
        Instant renewAt = now.plus(lifetime.multipliedBy(8).dividedBy(10));
        if (renewAt.isAfter(now.plus(MAX_AGE))) {
            renewAt = now.plus(MAX_AGE);
        }
        tokens.put(key, new Cached(token, renewAt));
        return token.token();
    }

    void forget(String podUid) {
        tokens.keySet().removeIf(key -> key.podUid().equals(podUid));
    }
}

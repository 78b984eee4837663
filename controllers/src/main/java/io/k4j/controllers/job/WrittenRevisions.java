package io.k4j.controllers.job;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.k4j.controllers.api.ObjectKey;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resourceVersion of each object's last write by a controller, so that a reconcile never acts on an older
 * cached copy (counting a finished pod twice, recording an event twice). k4j's resourceVersions are store
 * revisions, so they order writes; an unparsable one is never called stale.
 */
public final class WrittenRevisions {

    private final Map<ObjectKey, Long> written = new ConcurrentHashMap<>();

    /** Remembers a write's result; returns it. */
    public <T extends HasMetadata> T record(ObjectKey key, T stored) {
        revision(stored).ifPresent(revision -> written.merge(key, revision, Math::max));
        return stored;
    }

    /** Whether the cached copy predates this controller's last write of it. */
    public boolean isStale(ObjectKey key, HasMetadata cached) {
        Long last = written.get(key);
        return last != null && revision(cached).map(revision -> revision < last).orElse(false);
    }

    public void forget(ObjectKey key) {
        written.remove(key);
    }

    private static Optional<Long> revision(HasMetadata object) {
        try {
            return Optional.of(Long.parseLong(object.getMetadata().getResourceVersion()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}

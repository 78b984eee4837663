package io.k4j.store;

import java.nio.charset.StandardCharsets;

/**
 * One version of one key, as etcd v3 reports it.
 *
 * @param key            the full key (UTF-8 text; ordering is by its bytes)
 * @param value          the stored bytes; {@code null} for the tombstone of a deleted key
 * @param createRevision the revision at which this incarnation of the key was created
 * @param modRevision    the revision of this version (it becomes a Kubernetes resourceVersion)
 * @param version        how many times this incarnation has been written, starting at 1
 * @param lease          the lease the key is attached to, or {@link KeyValueStore#NO_LEASE}
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version, long lease) {

    public String valueAsString() {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "KeyValue[" + key + " create=" + createRevision + " mod=" + modRevision + " version=" + version
                + (lease != KeyValueStore.NO_LEASE ? " lease=" + lease : "")
                + (value == null ? " deleted" : " " + value.length + " bytes") + "]";
    }
}

package io.k4j.store;

/**
 * One change seen by a watch.
 *
 * @param type     PUT for a create or update, DELETE for a delete (including a lease expiry)
 * @param kv       the key after the change; for DELETE a tombstone whose value is null and whose
 *                 modRevision is the revision of the delete
 * @param previous the key before the change, or null for a create
 */
public record WatchEvent(Type type, KeyValue kv, KeyValue previous) {

    public enum Type { PUT, DELETE }

    public long revision() {
        return kv.modRevision();
    }

    /** A PUT that brought a key into existence rather than updating it. */
    public boolean isCreate() {
        return type == Type.PUT && kv.createRevision() == kv.modRevision();
    }
}

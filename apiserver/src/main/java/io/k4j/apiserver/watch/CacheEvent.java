package io.k4j.apiserver.watch;

import java.lang.ref.WeakReference;
import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/**
 * One change to one object (at a store key) as watchers see it: the object after the change (for DELETED, its last
 * state, with the delete's resourceVersion), and the object before it (null for ADDED), which selectors need to turn
 * a change that leaves or enters their set into DELETED or ADDED.
 *
 * <p>An event also keeps its wire form once a watch has encoded it, so that the watchers it goes to unchanged (all
 * of them, without selectors or conversions) send the same bytes: one buffer per event rather than an envelope
 * and the object's JSON assembled per watcher. Weakly, as {@link CachedObject} holds its tree: the event window
 * keeps thousands of events, and their lines are only needed while the event goes out.
 */
public final class CacheEvent {

    private final Type type;
    private final String key;
    private final CachedObject cached;
    private final CachedObject before;
    private final long revision;
    private volatile WeakReference<byte[]> encoded;

    public CacheEvent(Type type, String key, CachedObject cached, CachedObject before, long revision) {
        this.type = type;
        this.key = key;
        this.cached = cached;
        this.before = before;
        this.revision = revision;
    }

    public Type type() {
        return type;
    }

    public String key() {
        return key;
    }

    public CachedObject cached() {
        return cached;
    }

    public CachedObject before() {
        return before;
    }

    public long revision() {
        return revision;
    }

    public ObjectNode object() {
        return cached == null ? null : cached.object();
    }

    /** The object before the change, or null. */
    public ObjectNode previous() {
        return before == null ? null : before.object();
    }

    /**
     * This event as {@code encoder} frames it, encoded by the first caller and shared with the rest; every caller
     * must pass the same framing (two racing first callers encode it twice, harmlessly).
     */
    public byte[] encoded(Function<CacheEvent, byte[]> encoder) {
        WeakReference<byte[]> held = encoded;
        byte[] bytes = held == null ? null : held.get();
        if (bytes == null) {
            bytes = encoder.apply(this);
            encoded = new WeakReference<>(bytes);
        }
        return bytes;
    }

    @Override
    public String toString() {
        return type + " " + key + " at " + revision;
    }

    public enum Type { ADDED, MODIFIED, DELETED, BOOKMARK, ERROR }
}

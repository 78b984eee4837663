package io.k4j.apiserver.watch;

import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.storage.ObjectMeta;
import java.lang.ref.WeakReference;
import tools.jackson.databind.node.ObjectNode;

/**
 * An object as the cache holds it: its JSON, written once and shared by every list and watch that sends it (a
 * thousand watchers cost one serialization), and its tree, held only weakly.
 *
 * <p>Why weakly: a Jackson tree takes about seven times the memory of its JSON (a pod: ~11 KB against ~1.5 KB), and
 * every object the cache keeps is copied by the young collections it survives, so strong trees made the collector's
 * pauses grow with the cluster (180 ms at 100,000 pods). Most readers want only the JSON; selectors, read-time
 * conversions and tables parse it when they first ask, and share that tree while it lives.
 */
public final class CachedObject {

    private final byte[] json;
    private final long resourceVersion;
    private volatile WeakReference<ObjectNode> tree;

    /** Caches {@code object}, which nobody may change afterwards. */
    public CachedObject(ObjectNode object) {
        this.json = Json.bytes(object);
        String rv = ObjectMeta.resourceVersion(object);
        this.resourceVersion = rv.isEmpty() ? 0 : Long.parseLong(rv);
        this.tree = new WeakReference<>(object);
    }

    /** Caches the object whose JSON (resourceVersion included) is {@code json}; its tree is parsed when asked for. */
    public CachedObject(byte[] json, long resourceVersion) {
        this.json = json;
        this.resourceVersion = resourceVersion;
        this.tree = new WeakReference<>(null);
    }

    /** The object's tree: read it, never change it. */
    public ObjectNode object() {
        ObjectNode object = tree.get();
        if (object == null) {
            object = Json.parseObject(json);
            tree = new WeakReference<>(object); // two threads parsing at once is harmless
        }
        return object;
    }

    /** The object's JSON, shared: never change it. */
    public byte[] json() {
        return json;
    }

    public long resourceVersion() {
        return resourceVersion;
    }

    /** Drops the tree as a collection would (for tests: collections cannot be forced). */
    void forgetTree() {
        tree = new WeakReference<>(null);
    }
}

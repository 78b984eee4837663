package io.k4j.apiserver.watch;

import tools.jackson.databind.node.ObjectNode;

/**
 * One change to one object (at a store key) as watchers see it: the object after the change (for DELETED, its last
 * state, with the delete's resourceVersion), and the object before it (null for ADDED), which selectors need to turn
 * a change that leaves or enters their set into DELETED or ADDED.
 */
public record CacheEvent(Type type, String key, CachedObject cached, CachedObject before, long revision) {

    public ObjectNode object() {
        return cached == null ? null : cached.object();
    }

    /** The object before the change, or null. */
    public ObjectNode previous() {
        return before == null ? null : before.object();
    }

    public enum Type { ADDED, MODIFIED, DELETED, BOOKMARK, ERROR }
}

package io.k4j.apiserver.watch;

import io.k4j.apiserver.api.Json;
import tools.jackson.databind.node.ObjectNode;

/**
 * An object as the cache holds it: the tree, never changed once cached, and its JSON, written once on first
 * use and shared by every list and watch that sends it (a thousand watchers cost one serialization).
 */
public final class CachedObject {

    private final ObjectNode object;
    private volatile byte[] json;

    public CachedObject(ObjectNode object) {
        this.object = object;
    }

    public ObjectNode object() {
        return object;
    }

    /** The object's JSON; computing it twice in a race is harmless. */
    public byte[] json() {
        byte[] bytes = json;
        if (bytes == null) {
            bytes = Json.bytes(object);
            json = bytes;
        }
        return bytes;
    }
}

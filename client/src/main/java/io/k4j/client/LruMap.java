package io.k4j.client;

import java.util.LinkedHashMap;
import java.util.Map;

/** A map that forgets its least recently used entry once it holds more than its capacity. Not thread-safe. */
final class LruMap<K, V> extends LinkedHashMap<K, V> {

    private final int capacity;

    LruMap(int capacity) {
        super(16, 0.75f, true);
        this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
    }
}

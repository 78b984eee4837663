package io.k4j.apiserver.services;

import io.k4j.apiserver.api.ApiException;
import io.k4j.store.KeyExistsException;
import io.k4j.store.KeyNotFoundException;
import io.k4j.store.KeyValue;
import io.k4j.store.KeyValueStore;
import io.k4j.store.RangeRequest;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * Hands out numbered resources (cluster IPs, node ports) with one store key per taken number, created with the
 * store's create-if-absent: two servers can never take the same one. Each key records its owner, so a repair pass
 * can free what a crash left behind. Keys live outside /registry/, away from the watch cache.
 */
final class Allocator {

    private final KeyValueStore store;
    private final String prefix;
    private final long first;
    private final long count;
    private final LongFunction<String> format;
    private long next; // where the next search starts, so freed numbers are not reused at once

    Allocator(KeyValueStore store, String prefix, long first, long count, LongFunction<String> format) {
        this.store = store;
        this.prefix = prefix;
        this.first = first;
        this.count = count;
        this.format = format;
    }

    /** Takes a specific number for {@code owner}; false if it is taken. */
    boolean take(long number, String owner) {
        if (number < first || number >= first + count) {
            throw new IllegalArgumentException("out of range");
        }
        try {
            store.create(prefix + format.apply(number), owner.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (KeyExistsException e) {
            return false;
        }
    }

    /** Takes any free number. */
    synchronized long takeAny(String owner, String what) {
        Set<String> taken = new HashSet<>();
        for (KeyValue kv : store.range(RangeRequest.prefix(prefix)).items()) {
            taken.add(kv.key().substring(prefix.length()));
        }
        for (long i = 0; i < count; i++) {
            long candidate = first + (next + i) % count;
            if (!taken.contains(format.apply(candidate)) && take(candidate, owner)) {
                next = (candidate - first + 1) % count;
                return candidate;
            }
        }
        throw new ApiException(500, "InternalError", "Internal error occurred: failed to allocate a " + what
                + ": range is full");
    }

    void release(long number) {
        releaseKey(format.apply(number));
    }

    String owner(long number) {
        return store.get(prefix + format.apply(number)).kv().map(KeyValue::valueAsString).orElse(null);
    }

    /** Every taken number with its owner: for the repair pass. */
    java.util.Map<String, String> allTaken() {
        java.util.Map<String, String> taken = new java.util.HashMap<>();
        for (KeyValue kv : store.range(RangeRequest.prefix(prefix)).items()) {
            taken.put(kv.key().substring(prefix.length()), kv.valueAsString());
        }
        return taken;
    }

    void releaseKey(String suffix) {
        try {
            store.delete(prefix + suffix);
        } catch (KeyNotFoundException alreadyFree) {
            // nothing to give back
        }
    }
}

package io.k4j.store;

import java.util.Optional;

/** The answer to a single-key read: the key, if present, and the store's revision at the time of the read. */
public record GetResult(Optional<KeyValue> kv, long revision) {
}

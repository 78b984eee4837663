package io.k4j.store;

/** A completed delete: the value the key held before, and the revision of the delete. */
public record DeleteResult(KeyValue previous, long revision) {
}

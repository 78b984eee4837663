package io.k4j.store;

import java.util.List;

/**
 * The answer to a range read.
 *
 * @param items    the keys found, in key order
 * @param more     whether keys beyond the limit remain (continue after the last item)
 * @param count    how many keys the whole range holds from the start point, ignoring the limit
 * @param revision the revision the read observed: the store's current revision, or the requested one
 */
public record RangeResult(List<KeyValue> items, boolean more, long count, long revision) {
}

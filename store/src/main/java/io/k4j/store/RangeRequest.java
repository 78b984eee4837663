package io.k4j.store;

import java.util.Objects;

/**
 * A read of every key under a prefix, in key order.
 *
 * @param prefix     keys that start with this text are returned
 * @param startAfter continue point: only keys strictly greater than this one ({@code null} to start at the prefix)
 * @param limit      at most this many items; 0 means no limit
 * @param revision   read the state as of this revision; 0 means the latest
 */
public record RangeRequest(String prefix, String startAfter, long limit, long revision) {

    public RangeRequest {
        Objects.requireNonNull(prefix, "prefix");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        if (revision < 0) {
            throw new IllegalArgumentException("revision must not be negative: " + revision);
        }
        if (startAfter != null && !startAfter.startsWith(prefix)) {
            throw new IllegalArgumentException("continue key " + startAfter + " is outside prefix " + prefix);
        }
    }

    public static RangeRequest prefix(String prefix) {
        return new RangeRequest(prefix, null, 0, 0);
    }

    public RangeRequest withLimit(long newLimit) {
        return new RangeRequest(prefix, startAfter, newLimit, revision);
    }

    public RangeRequest startingAfter(String key) {
        return new RangeRequest(prefix, key, limit, revision);
    }

    public RangeRequest atRevision(long newRevision) {
        return new RangeRequest(prefix, startAfter, limit, newRevision);
    }
}

package io.k4j.store;

/** A read or compaction named a revision the store has not reached yet. */
public class FutureRevisionException extends StoreException {
    private static final long serialVersionUID = 1L;

    public FutureRevisionException(long requested, long current) {
        super("revision " + requested + " is in the future; the current revision is " + current);
    }
}

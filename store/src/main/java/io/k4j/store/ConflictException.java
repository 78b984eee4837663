package io.k4j.store;

/** A compare-and-swap lost: the key's mod revision is no longer the expected one. */
public class ConflictException extends StoreException {
    private static final long serialVersionUID = 1L;
    private final transient KeyValue current;

    public ConflictException(String key, long expectedModRevision, KeyValue current) {
        super("conflict on " + key + ": expected mod revision " + expectedModRevision + ", found "
                + current.modRevision());
        this.current = current;
    }

    /** The version that is there now. */
    public KeyValue current() {
        return current;
    }
}

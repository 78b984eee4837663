package io.k4j.store;

/** A create found the key already there. */
public class KeyExistsException extends StoreException {
    private static final long serialVersionUID = 1L;
    private final transient KeyValue existing;

    public KeyExistsException(String key, KeyValue existing) {
        super("key already exists: " + key);
        this.existing = existing;
    }

    /** The version that is there, when the backend reported it; may be null. */
    public KeyValue existing() {
        return existing;
    }
}

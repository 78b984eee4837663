package io.k4j.store;

/** An update or delete named a key that does not exist. */
public class KeyNotFoundException extends StoreException {
    private static final long serialVersionUID = 1L;

    public KeyNotFoundException(String key) {
        super("key not found: " + key);
    }
}

package io.k4j.store;

/** A value exceeded {@link KeyValueStore#MAX_VALUE_BYTES}; nothing was written. */
public class ValueTooLargeException extends StoreException {
    private static final long serialVersionUID = 1L;

    public ValueTooLargeException(String key, int size) {
        super("value for " + key + " is " + size + " bytes; the limit is " + KeyValueStore.MAX_VALUE_BYTES + " bytes");
    }

    /** Refuses a value over the limit, and a null one. */
    public static void check(String key, byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("value for " + key + " must not be null");
        }
        if (value.length > KeyValueStore.MAX_VALUE_BYTES) {
            throw new ValueTooLargeException(key, value.length);
        }
    }
}

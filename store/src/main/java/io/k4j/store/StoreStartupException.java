package io.k4j.store;

/** The store could not be opened: a foreign or corrupt file, an unreachable cluster, a bad endpoint. */
public class StoreStartupException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreStartupException(String message) {
        super(message);
    }

    public StoreStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.k4j.store;

/**
 * The backend could not be reached or did not answer in time, or the store is closed. The write may or may not
 * have happened; it was not acknowledged.
 */
public class StoreUnavailableException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message) {
        super(message);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

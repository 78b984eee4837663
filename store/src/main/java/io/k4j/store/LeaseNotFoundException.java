package io.k4j.store;

/** A lease id that never existed, or whose lease has expired or been revoked. */
public class LeaseNotFoundException extends StoreException {
    private static final long serialVersionUID = 1L;

    public LeaseNotFoundException(long lease) {
        super("lease not found: " + lease);
    }
}

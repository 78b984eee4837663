package io.k4j.store;

import java.util.List;

/**
 * Receives the changes of one watch. Calls for one watch never overlap and arrive in revision order.
 * A listener should return quickly; a watcher that falls far behind is ended with an error.
 */
public interface WatchListener {

    /** A batch of changes, in revision order, never empty. */
    void onEvents(List<WatchEvent> events);

    /**
     * The watch ended and will deliver nothing more: a {@link CompactedException} when the start revision
     * is no longer kept, or another {@link StoreException} when the store closed or the watcher fell behind.
     */
    void onError(StoreException error);
}

package io.k4j.controllers.garbagecollector;

/** An ownerReference or object of a kind discovery does not (or no longer, or not yet) list. */
final class UnknownResourceException extends RuntimeException {

    UnknownResourceException(String message) {
        super(message, null, false, false);
    }
}

package io.k4j.apiserver.http;

/** Handles API requests; called on a virtual thread per request, so it may block. */
@FunctionalInterface
public interface RequestHandler {
    void handle(ApiRequest request, Exchange exchange);
}

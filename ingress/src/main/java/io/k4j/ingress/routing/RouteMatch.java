package io.k4j.ingress.routing;

/** The result of routing one request: a backend, or nothing (404). */
public sealed interface RouteMatch {

    record Found(Backend backend) implements RouteMatch {
    }

    record NotFound() implements RouteMatch {
    }

    RouteMatch NOT_FOUND = new NotFound();
}

package io.k4j.apiserver.endpoints;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.http.Exchange;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Writes JSON answers and {@code Status} errors. */
final class Responses {

    static final String JSON = "application/json";

    private Responses() {
    }

    static void json(Exchange exchange, int code, JsonNode body) {
        exchange.send(code, JSON, Json.bytes(body), Map.of());
    }

    static void json(Exchange exchange, int code, String contentType, JsonNode body) {
        exchange.send(code, contentType, Json.bytes(body), Map.of());
    }

    static void error(Exchange exchange, ApiException error) {
        Map<String, String> headers = error.retryAfterSeconds() > 0
                ? Map.of("Retry-After", Integer.toString(error.retryAfterSeconds())) : Map.of();
        exchange.send(error.code(), JSON, Json.bytes(error.toStatus()), headers);
    }
}

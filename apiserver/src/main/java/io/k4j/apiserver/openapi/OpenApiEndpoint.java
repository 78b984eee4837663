package io.k4j.apiserver.openapi;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.http.ApiRequest;
import io.k4j.apiserver.http.Exchange;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /openapi/v3} (the index of group versions), {@code /openapi/v3/api/v1} and
 * {@code /openapi/v3/apis/GROUP/VERSION}. A request that names the current hash gets a response clients may cache
 * for good; a stale hash is redirected to the current one. {@code /openapi/v2} is not served (404): kubectl 1.32
 * is content with v3.
 */
public final class OpenApiEndpoint {

    private static final String JSON = "application/json";
    private final OpenApiDocuments documents;

    public OpenApiEndpoint(OpenApiDocuments documents) {
        this.documents = documents;
    }

    public OpenApiDocuments documents() {
        return documents;
    }

    /** Answers an OpenAPI path; false if {@code request} is not for one. */
    public boolean handle(ApiRequest request, Exchange exchange) {
        String path = request.path();
        if (!path.equals("/openapi") && !path.startsWith("/openapi/")) {
            return false;
        }
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
        String rest = path.replaceAll("/+$", "");
        if (rest.equals("/openapi/v3")) {
            exchange.send(200, JSON, documents.index(), Map.of("Cache-Control", "no-cache, private"));
            return true;
        }
        if (!rest.startsWith("/openapi/v3/")) {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }
        String key = rest.substring("/openapi/v3/".length());
        Optional<OpenApiDocuments.Document> found = documents.document(key);
        if (found.isEmpty()) {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }
        OpenApiDocuments.Document document = found.get();
        String etag = "\"" + document.hash() + "\"";
        String asked = request.param("hash");
        if (asked != null && !asked.equals(document.hash())) {
            exchange.send(301, JSON, new byte[0], Map.of("Location", document.serverRelativeUrl(),
                    "Cache-Control", "no-cache, private"));
            return true;
        }
        Map<String, String> headers = asked != null
                ? Map.of("ETag", etag, "Cache-Control", "public, immutable", "Expires", oneYearFromNow())
                : Map.of("ETag", etag, "Cache-Control", "no-cache, private");
        if (etag.equals(request.header("if-none-match"))) {
            exchange.send(304, JSON, new byte[0], headers);
            return true;
        }
        exchange.send(200, JSON, document.json(), headers);
        return true;
    }

    private static String oneYearFromNow() {
        return java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusYears(1));
    }
}

package io.k4j.client;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.function.UnaryOperator;

/**
 * Requests through the client's own HTTP stack (its TLS, credentials and connection pool) whose answer is not turned
 * into a model object: bindings and events are written at hundreds per second and the caller never reads what
 * comes back but the status code; status patches, likewise; and a DELETE with exactly the DeleteOptions given
 * (fabric8's own adds a propagationPolicy, which would override the finalizers a client chose when it asked for
 * the deletion).
 */
public final class RawRequests {

    private RawRequests() {
    }

    /** The response; the caller decides what a non-2xx code means. */
    public static HttpResponse<String> post(KubernetesClient client, String path, String json)
            throws InterruptedException, ExecutionException {
        return send(client, path, request -> request.post("application/json", json.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A PATCH of this content type (merge, strategic merge, JSON patch). fabric8's own patch of a named resource
     * first GETs it, and decodes the object that comes back; a kubelet patches every pod's status this way.
     */
    public static HttpResponse<String> patch(KubernetesClient client, String path, String contentType, String patch)
            throws InterruptedException, ExecutionException {
        return send(client, path, request -> request.method("PATCH", contentType, patch));
    }

    /** A DELETE with these DeleteOptions as its body; the caller decides what a non-2xx code means. */
    public static HttpResponse<String> delete(KubernetesClient client, String path, String deleteOptionsJson)
            throws InterruptedException, ExecutionException {
        return send(client, path, request -> request.delete("application/json", deleteOptionsJson));
    }

    private static HttpResponse<String> send(KubernetesClient client, String path,
            UnaryOperator<HttpRequest.Builder> method) throws InterruptedException, ExecutionException {
        String base = client.getMasterUrl().toString(); // no regex: this runs for every binding and event
        String url = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
        HttpRequest request = method.apply(client.getHttpClient().newHttpRequestBuilder().uri(url)).build();
        return client.getHttpClient().sendAsync(request, String.class).get();
    }
}

package io.k4j.client;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;

/**
 * A POST through the client's own HTTP stack (its TLS, credentials and connection pool) whose answer is not turned
 * into a model object: bindings and events are written at hundreds per second and the caller never reads what
 * comes back but the status code.
 */
public final class RawPost {

    private RawPost() {
    }

    /** The response; the caller decides what a non-2xx code means. */
    public static HttpResponse<String> post(KubernetesClient client, String path, String json)
            throws InterruptedException, ExecutionException {
        String url = client.getMasterUrl().toString().replaceAll("/$", "") + path;
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder().uri(url)
                .post("application/json", json.getBytes(StandardCharsets.UTF_8)).build();
        return client.getHttpClient().sendAsync(request, String.class).get();
    }
}

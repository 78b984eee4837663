package io.k4j.apiserver.proxy;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.http.Exchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/** Streams a kubelet's container log to the client, chunk by chunk as it arrives (HTTP/1.1 or HTTP/2). */
final class LogProxy {

    private static final Duration SLOW_CLIENT = Duration.ofSeconds(60);

    private final KubeletConnector connector;

    LogProxy(KubeletConnector connector) {
        this.connector = connector;
    }

    void stream(Exchange exchange, KubeletLocation kubelet, String target) {
        HttpResponse<InputStream> response;
        try {
            response = connector.http().send(HttpRequest.newBuilder(URI.create("https://" + kubelet.authority() + target))
                    .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw ApiException.internal("Get \"https://" + kubelet.authority() + target + "\": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted");
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                String message = new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8).strip();
                throw switch (response.statusCode()) {
                    case 400 -> ApiException.badRequest(message);
                    case 404 -> new ApiException(404, "NotFound", message);
                    default -> ApiException.internal(message);
                };
            }
            Exchange.Stream stream = exchange.stream(200, "text/plain");
            Runnable forget = stream.onClose(() -> closeQuietly(body));
            try {
                byte[] buffer = new byte[32 * 1024];
                int read;
                while ((read = body.read(buffer)) >= 0 && stream.isOpen()) {
                    if (!stream.awaitWritable(SLOW_CLIENT)) {
                        break;
                    }
                    stream.write(Arrays.copyOf(buffer, read));
                }
            } catch (IOException e) {
                // the kubelet or the client went away: end the response
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                forget.run();
                stream.close();
            }
        } catch (IOException e) {
            throw ApiException.internal(e.getMessage());
        }
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // already closed
        }
    }
}

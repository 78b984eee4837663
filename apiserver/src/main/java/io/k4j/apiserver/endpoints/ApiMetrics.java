package io.k4j.apiserver.endpoints;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.DoubleSupplier;

/**
 * The API server's Prometheus metrics, named as upstream names them: requests by verb, resource and code, their
 * latency, open watches, and the latency of store operations.
 */
public final class ApiMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name("apiserver_request_total")
            .help("Requests by verb, resource and HTTP code").labelNames("verb", "resource", "code")
            .register(registry);
    private final Histogram latency = Histogram.builder().name("apiserver_request_duration_seconds")
            .help("Request latency by verb and resource").labelNames("verb", "resource").register(registry);
    private final Histogram storeLatency = Histogram.builder().name("etcd_request_duration_seconds")
            .help("Datastore request latency by operation").labelNames("operation").register(registry);

    public ApiMetrics(DoubleSupplier openWatches) {
        GaugeWithCallback.builder().name("apiserver_registered_watchers")
                .help("Watches open on the watch cache").callback(callback -> callback.call(openWatches.getAsDouble()))
                .register(registry);
    }

    public void observeRequest(String verb, String resource, int code, long nanos) {
        requests.labelValues(verb, resource, Integer.toString(code)).inc();
        latency.labelValues(verb, resource).observe(nanos / 1e9);
    }

    public void observeStore(String operation, long nanos) {
        storeLatency.labelValues(operation).observe(nanos / 1e9);
    }

    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}

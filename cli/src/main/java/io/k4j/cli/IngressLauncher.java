package io.k4j.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.ingress.IngressController;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The ingress controller inside {@code k4j server} (IngressClass {@code k4j}, the default) on the node's HTTP and
 * HTTPS ports. Ports below 1024 need root (or CAP_NET_BIND_SERVICE): without it the server runs on and says why
 * there is no ingress.
 */
final class IngressLauncher {

    @Option(names = "--ingress-http-port", paramLabel = "PORT", defaultValue = "80",
            description = "The ingress controller's HTTP port (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--ingress-https-port", paramLabel = "PORT", defaultValue = "443",
            description = "The ingress controller's HTTPS port (default: ${DEFAULT-VALUE}).")
    int httpsPort;

    /** The running controller (closing it closes the client too); null when it cannot listen here. */
    AutoCloseable start(KubernetesClient client, String nodeIp, PrintWriter out) throws InterruptedException {
        IngressController controller;
        try {
            controller = IngressController.builder().client(client).bindAddress("0.0.0.0").httpPort(httpPort)
                    .httpsPort(httpsPort).nodeAddresses(() -> List.of(nodeIp)).start();
        } catch (UncheckedIOException e) {
            client.close();
            out.printf("k4j server: no ingress controller: %s%n", e.getCause().getMessage());
            return null;
        } catch (RuntimeException | InterruptedException e) {
            client.close();
            throw e;
        }
        out.printf("k4j server: ingress controller (class k4j) on ports %d and %d%n", controller.httpPort(),
                controller.httpsPort());
        return () -> {
            controller.close();
            client.close();
        };
    }
}

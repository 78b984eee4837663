/**
 * The ingress controller: networking.k8s.io/v1 Ingress served over HTTP and HTTPS on the node.
 *
 * <p>{@link io.k4j.ingress.IngressController} is the entry point. Inside: {@code routing} turns the cluster's objects
 * into an immutable {@link io.k4j.ingress.routing.RoutingTable} (pure, unit-tested); {@code tls} reads TLS Secrets
 * and makes the default certificate; {@code proxy} is the Netty server that proxies by the current table;
 * {@code kube} holds the informers, the IngressClass and status writing; {@code bench} compares the proxy with nginx.
 */
package io.k4j.ingress;

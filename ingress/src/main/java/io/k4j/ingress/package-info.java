/** The ingress controller: networking.k8s.io/v1 Ingress served over HTTP and HTTPS on the node. */
package io.k4j.ingress;

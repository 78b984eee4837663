/** The service proxy: Services and EndpointSlices into iptables nat rules, like kube-proxy's iptables mode. */
package io.k4j.proxy;

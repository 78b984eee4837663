/**
 * The service proxy: Services and EndpointSlices into iptables nat and filter rules, like kube-proxy's iptables
 * mode.
 *
 * <p>Entry points: {@link io.k4j.proxy.ServiceProxy} (one per node; {@code builder()...build().start()}, {@code
 * close()} removes its rules), {@link io.k4j.proxy.ServiceProxy#cleanup(io.k4j.proxy.Iptables)} (for {@code k4j
 * proxy --cleanup}), {@link io.k4j.proxy.ServiceLoadBalancer} (one per cluster: LoadBalancer status from node
 * addresses) and {@link io.k4j.proxy.bench.ProxySyncBenchmark}. The deterministic core (desired state to
 * iptables-restore text) is in {@link io.k4j.proxy.rules}.
 */
package io.k4j.proxy;

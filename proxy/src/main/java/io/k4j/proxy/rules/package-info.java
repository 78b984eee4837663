/**
 * The deterministic core of the service proxy: service ports with their endpoints and the node's facts in,
 * iptables-restore text (and conntrack and cleanup commands) out. No I/O.
 */
package io.k4j.proxy.rules;

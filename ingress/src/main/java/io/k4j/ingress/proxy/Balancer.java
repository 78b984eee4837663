package io.k4j.ingress.proxy;

import io.k4j.ingress.routing.Backend;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Round robin per backend, kept across routing tables by backend key: each request gets the endpoints in the order
 * to try them, starting one further than the previous request; the rest are the retries on connection failure.
 */
final class Balancer {

    private final ConcurrentHashMap<String, AtomicInteger> next = new ConcurrentHashMap<>();

    List<InetSocketAddress> order(Backend backend) {
        List<InetSocketAddress> endpoints = backend.endpoints();
        int size = endpoints.size();
        int start = Math.floorMod(next.computeIfAbsent(backend.key(), k -> new AtomicInteger()).getAndIncrement(),
                size);
        List<InetSocketAddress> order = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            order.add(endpoints.get((start + i) % size));
        }
        return order;
    }
}

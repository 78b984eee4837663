package io.k4j.simulation;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The pod IPs of one simulated node: hosts .2 to .254 of its /24 (.1 is left for the node's bridge, as a CNI
 * would). An address stays with its pod until the pod is gone, and is handed out again only after that.
 */
public final class PodIpPool {

    private static final int FIRST_HOST = 2;
    private static final int LAST_HOST = 254;

    private final AddressPlan.Subnet subnet;
    private final BitSet used = new BitSet(256);
    private final Map<String, Integer> hostByPod = new HashMap<>();
    private int next = FIRST_HOST; // hand addresses out round-robin, so a freed one is not reused at once

    public PodIpPool(AddressPlan.Subnet subnet) {
        this.subnet = subnet;
    }

    public AddressPlan.Subnet subnet() {
        return subnet;
    }

    /**
     * The IP of pod {@code uid}: the one it has, else {@code wanted} when that is free and in this /24 (a pod
     * that already had an address before a restart keeps it), else the next free one; empty when all are used.
     */
    public synchronized Optional<String> allocate(String uid, String wanted) {
        Integer held = hostByPod.get(uid);
        if (held != null) {
            return Optional.of(subnet.address(held));
        }
        int host = subnet.hostOf(wanted);
        if (host < FIRST_HOST || host > LAST_HOST || used.get(host)) {
            host = nextFree();
            if (host < 0) {
                return Optional.empty();
            }
        }
        used.set(host);
        hostByPod.put(uid, host);
        return Optional.of(subnet.address(host));
    }

    public synchronized void release(String uid) {
        Integer host = hostByPod.remove(uid);
        if (host != null) {
            used.clear(host);
        }
    }

    public synchronized int inUse() {
        return hostByPod.size();
    }

    private int nextFree() {
        for (int tried = 0; tried <= LAST_HOST - FIRST_HOST; tried++) {
            int host = next;
            next = next == LAST_HOST ? FIRST_HOST : next + 1;
            if (!used.get(host)) {
                return host;
            }
        }
        return -1;
    }
}

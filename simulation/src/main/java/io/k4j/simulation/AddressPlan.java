package io.k4j.simulation;

/**
 * Where simulated nodes and their pods live on the (imaginary) network. Each node gets a /24 pod CIDR: from
 * 10.42.0.0/16 (k3s's default cluster CIDR, beside its 10.43.0.0/16 service CIDR) while there are at most 256
 * nodes, since that /16 holds exactly 256 /24s; larger clusters take their /24s from 10.128.0.0/9 instead, which
 * holds 32768 of them and overlaps neither range. Node InternalIPs come from 172.16.0.0/12, apart from both.
 */
public final class AddressPlan {

    public static final int MAX_NODES = 1 << 15;
    private static final int SMALL_CLUSTER_BASE = ip(10, 42, 0, 0);
    private static final int LARGE_CLUSTER_BASE = ip(10, 128, 0, 0);
    private static final int NODE_IP_BASE = ip(172, 16, 0, 0);

    private AddressPlan() {
    }

    /** The /24 of node {@code index} in a cluster of {@code nodeCount} simulated nodes. */
    public static Subnet podCidr(int index, int nodeCount) {
        if (nodeCount > MAX_NODES || index < 0 || index >= nodeCount) {
            throw new IllegalArgumentException("node " + index + " of " + nodeCount + ": at most " + MAX_NODES
                    + " simulated nodes fit the pod network");
        }
        int base = nodeCount <= 256 ? SMALL_CLUSTER_BASE : LARGE_CLUSTER_BASE;
        return new Subnet(base + (index << 8));
    }

    public static String nodeIp(int index) {
        return format(NODE_IP_BASE + index + 1);
    }

    /** A /24 network, by its first address. */
    public record Subnet(int network) {

        /** The address {@code host} (1..254) within this /24. */
        public String address(int host) {
            return format(network + host);
        }

        /** The host number of {@code address} if it is in this /24, else -1. */
        public int hostOf(String address) {
            String[] parts = address == null ? new String[0] : address.split("\\.");
            if (parts.length != 4) {
                return -1;
            }
            try {
                int value = ip(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
                        Integer.parseInt(parts[3]));
                return (value & 0xFFFFFF00) == network ? value & 0xFF : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        @Override
        public String toString() {
            return format(network) + "/24";
        }
    }

    private static int ip(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    private static String format(int ip) {
        return (ip >>> 24) + "." + (ip >>> 16 & 0xFF) + "." + (ip >>> 8 & 0xFF) + "." + (ip & 0xFF);
    }
}

package io.k4j.controllers.nodeipam;

import java.util.BitSet;

/**
 * The node pod CIDRs of a cluster CIDR (IPv4), as upstream's cidrset: the cluster CIDR cut into equal subnets of
 * {@code maskSize} bits, handed out round-robin from where the last one was, each at most once until released.
 */
final class CidrSet {

    private final int base;
    private final int clusterPrefix;
    private final int maskSize;
    private final int count;
    private final BitSet used;
    private int next;

    CidrSet(String clusterCidr, int maskSize) {
        String[] parts = clusterCidr.trim().split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("cluster CIDR " + clusterCidr + " is not an IPv4 CIDR such as 10.42.0.0/16");
        }
        this.clusterPrefix = Integer.parseInt(parts[1]);
        if (clusterPrefix < 0 || clusterPrefix > 32 || maskSize < clusterPrefix || maskSize > 32
                || maskSize - clusterPrefix > 24) {
            throw new IllegalArgumentException("node CIDR mask size " + maskSize + " does not fit cluster CIDR "
                    + clusterCidr);
        }
        this.base = parse(parts[0]) & mask(clusterPrefix);
        this.maskSize = maskSize;
        this.count = 1 << (maskSize - clusterPrefix);
        this.used = new BitSet(count);
    }

    /** Marks a CIDR as taken; false when it is not one of this set's subnets. */
    synchronized boolean occupy(String cidr) {
        int index = indexOf(cidr);
        if (index < 0) {
            return false;
        }
        used.set(index);
        return true;
    }

    synchronized void release(String cidr) {
        int index = indexOf(cidr);
        if (index >= 0) {
            used.clear(index);
        }
    }

    /** The next free subnet, now taken; null when all are. */
    synchronized String allocateNext() {
        for (int tried = 0; tried < count; tried++) {
            int candidate = (next + tried) % count;
            if (!used.get(candidate)) {
                used.set(candidate);
                next = (candidate + 1) % count;
                return format(base + (candidate << (32 - maskSize))) + "/" + maskSize;
            }
        }
        return null;
    }

    private int indexOf(String cidr) {
        try {
            String[] parts = cidr.trim().split("/");
            if (parts.length != 2 || Integer.parseInt(parts[1]) != maskSize) {
                return -1;
            }
            int address = parse(parts[0]);
            if ((address & mask(clusterPrefix)) != base || (address & ~mask(maskSize)) != 0) {
                return -1;
            }
            return (address - base) >>> (32 - maskSize);
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    private static int parse(String address) {
        String[] octets = address.split("\\.");
        if (octets.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        int value = 0;
        for (String octet : octets) {
            int part = Integer.parseInt(octet);
            if (part < 0 || part > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + address);
            }
            value = value << 8 | part;
        }
        return value;
    }

    private static String format(int ip) {
        return (ip >>> 24) + "." + (ip >>> 16 & 0xFF) + "." + (ip >>> 8 & 0xFF) + "." + (ip & 0xFF);
    }
}

package io.k4j.apiserver.services;

import java.util.Optional;

/** An IPv4 service CIDR such as 10.43.0.0/16: which addresses Services may get. */
public record ServiceCidr(long network, int prefixLength) {

    public static final String DEFAULT = "10.43.0.0/16";

    public static ServiceCidr of(String text) {
        String[] parts = text.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("service CIDR " + text + " is not ADDRESS/PREFIX");
        }
        int prefix = Integer.parseInt(parts[1]);
        if (prefix < 8 || prefix > 30) {
            throw new IllegalArgumentException("service CIDR " + text + " must have a prefix between /8 and /30");
        }
        long address = toLong(parts[0]).orElseThrow(() -> new IllegalArgumentException(text + " is not IPv4"));
        long mask = (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        return new ServiceCidr(address & mask, prefix);
    }

    /** The first address Services get (network + 1); the `kubernetes` service takes it. */
    public long firstUsable() {
        return network + 1;
    }

    /** Addresses between the network and broadcast addresses. */
    public long usableCount() {
        return (1L << (32 - prefixLength)) - 2;
    }

    public Optional<Long> address(String ip) {
        return toLong(ip).filter(value -> value >= firstUsable() && value < firstUsable() + usableCount());
    }

    public String format(long ip) {
        return ((ip >> 24) & 0xFF) + "." + ((ip >> 16) & 0xFF) + "." + ((ip >> 8) & 0xFF) + "." + (ip & 0xFF);
    }

    private static Optional<Long> toLong(String ip) {
        String[] octets = ip.split("\\.");
        if (octets.length != 4) {
            return Optional.empty();
        }
        long value = 0;
        for (String octet : octets) {
            try {
                int part = Integer.parseInt(octet);
                if (part < 0 || part > 255) {
                    return Optional.empty();
                }
                value = value << 8 | part;
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.of(value);
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefixLength;
    }
}

package io.k4j.dns.zone;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.xbill.DNS.Address;

/** IP addresses written as one DNS label, the way pod and endpoint names spell them: 10-42-0-5, fd00--1. */
public final class IpLabels {

    private IpLabels() {
    }

    public static String dashed(InetAddress ip) {
        String text = ip instanceof Inet4Address ? ip.getHostAddress() : compressed(ip.getAddress());
        return text.replace('.', '-').replace(':', '-');
    }

    /** The address a dashed label stands for; empty when the label is no address (never a name lookup). */
    public static Optional<InetAddress> parse(String label) {
        if (label.isEmpty() || label.length() > 45 || !label.chars().allMatch(IpLabels::isDashedChar)) {
            return Optional.empty();
        }
        byte[] bytes = Address.toByteArray(label.replace('-', '.'), Address.IPv4);
        if (bytes == null) {
            bytes = Address.toByteArray(label.replace('-', ':'), Address.IPv6);
        }
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException impossible) {
            return Optional.empty();
        }
    }

    private static boolean isDashedChar(int c) {
        return c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** RFC 5952 text of an IPv6 address: the longest run of two or more zero groups becomes "::". */
    static String compressed(byte[] v6) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((v6[2 * i] & 0xff) << 8) | (v6[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}

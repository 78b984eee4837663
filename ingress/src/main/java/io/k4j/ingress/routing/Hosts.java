package io.k4j.ingress.routing;

import java.util.Locale;

/** Host names as Ingress matches them: case-insensitive, without port, "*.x" matching exactly one more label. */
public final class Hosts {

    private Hosts() {
    }

    /** The host of a Host header or :authority, lower-cased and without port (IPv6 literals keep their brackets). */
    public static String normalise(String authority) {
        if (authority == null) {
            return "";
        }
        String host = authority.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close < 0 ? host : host.substring(0, close + 1);
        }
        int colon = host.indexOf(':');
        host = colon >= 0 ? host.substring(0, colon) : host;
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    public static boolean isWildcard(String pattern) {
        return pattern.startsWith("*.");
    }

    /** The wildcard pattern that would match {@code host} ("a.b.c" -> "*.b.c"), or null for a single label. */
    public static String wildcardFor(String host) {
        int dot = host.indexOf('.');
        return dot <= 0 ? null : "*" + host.substring(dot);
    }
}

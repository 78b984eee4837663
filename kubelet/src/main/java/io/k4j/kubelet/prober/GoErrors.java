package io.k4j.kubelet.prober;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

/** Upstream's probe messages are Go error strings; users compare them with what they know, so we speak alike. */
final class GoErrors {

    private GoErrors() {
    }

    /** Go's %q for plain text: double quotes with backslash escapes. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Go's net.JoinHostPort: IPv6 literals in brackets. */
    static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /** A failed connect as Go's dialer words it. */
    static String dialError(String host, int port, IOException e) {
        String address = hostPort(host, port);
        if (e instanceof UnknownHostException) {
            return "dial tcp: lookup " + host + ": no such host";
        }
        if (e instanceof SocketTimeoutException) {
            return "dial tcp " + address + ": i/o timeout";
        }
        if (e instanceof ConnectException && String.valueOf(e.getMessage()).contains("refused")) {
            return "dial tcp " + address + ": connect: connection refused";
        }
        if (e instanceof NoRouteToHostException) {
            return "dial tcp " + address + ": connect: no route to host";
        }
        return "dial tcp " + address + ": " + String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    }
}

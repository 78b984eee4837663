package io.k4j.kubelet.prober;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Upstream's HTTP probe over a plain socket (so a Host header can be sent and nothing is pooled): one GET per
 * connection, certificates not verified, redirects followed only to the same host name (at most 10), the body read
 * up to 10 KiB. 200..299 passes, 300..399 passes with a warning (an unfollowed redirect), anything else fails.
 */
final class HttpGetProbe {

    private static final int MAX_REDIRECTS = 10;
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    ProbeResult get(String host, int port, String path, String scheme, List<ProbeActions.Header> headers,
            Duration timeout) {
        URI uri;
        try {
            String normalized = path.isEmpty() || path.startsWith("/") ? path : "/" + path;
            uri = URI.create(scheme + "://" + GoErrors.hostPort(host, port) + normalized);
        } catch (IllegalArgumentException e) {
            return ProbeResult.error("invalid probe URL: " + e.getMessage());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int redirects = 0; ; redirects++) {
            Response response;
            try {
                response = request(uri, headers, deadline);
            } catch (SocketTimeoutException e) {
                return ProbeResult.failure("Get " + GoErrors.quote(uri.toString())
                        + ": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
            } catch (IOException e) {
                return ProbeResult.failure("Get " + GoErrors.quote(uri.toString()) + ": " + e.getMessage());
            }
            URI next = response.redirectTarget(uri);
            if (next == null) {
                return classify(response);
            }
            if (!host.equalsIgnoreCase(next.getHost() == null ? "" : stripBrackets(next.getHost()))) {
                return new ProbeResult(ProbeResult.Outcome.WARNING,
                        "Probe terminated redirects, Response body: " + response.body, response.status);
            }
            if (!"http".equals(next.getScheme()) && !"https".equals(next.getScheme())) {
                return new ProbeResult(ProbeResult.Outcome.FAILURE, "Get " + GoErrors.quote(next.toString())
                        + ": unsupported protocol scheme " + GoErrors.quote(String.valueOf(next.getScheme())),
                        response.status);
            }
            if (redirects == MAX_REDIRECTS) {
                return new ProbeResult(ProbeResult.Outcome.FAILURE,
                        "Get " + GoErrors.quote(next.toString()) + ": stopped after 10 redirects", response.status);
            }
            uri = next;
        }
    }

    private static ProbeResult classify(Response response) {
        int status = response.status;
        if (status >= 200 && status < 300) {
            return new ProbeResult(ProbeResult.Outcome.SUCCESS, response.body, status);
        }
        if (status >= 300 && status < 400) {
            return new ProbeResult(ProbeResult.Outcome.WARNING,
                    "Probe terminated redirects, Response body: " + response.body, status);
        }
        return new ProbeResult(ProbeResult.Outcome.FAILURE, "HTTP probe failed with statuscode: " + status, status);
    }

    private static Response request(URI uri, List<ProbeActions.Header> headers, long deadline) throws IOException {
        String host = stripBrackets(uri.getHost());
        int port = uri.getPort() > 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
        try (Socket socket = connect(host, port, uri.getScheme(), deadline)) {
            OutputStream out = socket.getOutputStream();
            out.write(requestHead(uri, headers).getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            setRemaining(socket, deadline);
            String statusLine = readLine(in);
            while (statusLine.matches("HTTP/\\S+ 1\\d\\d.*")) { // skip interim responses (100 Continue)
                for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                    // their headers mean nothing to a probe
                }
                statusLine = readLine(in);
            }
            List<String[]> responseHeaders = new ArrayList<>();
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    responseHeaders.add(
                            new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
                }
            }
            int status = parseStatus(statusLine);
            return new Response(status, responseHeaders, readBody(socket, in, status, responseHeaders, deadline));
        }
    }

    private static Socket connect(String host, int port, String scheme, long deadline) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), remainingMillis(deadline));
        } catch (SocketTimeoutException e) {
            socket.close();
            throw e;
        } catch (IOException e) {
            socket.close();
            throw new DialException(GoErrors.dialError(host, port, e));
        }
        if (!"https".equals(scheme)) {
            return socket;
        }
        try {
            SSLSocket tls = (SSLSocket) TRUST_ALL.getSocketFactory().createSocket(socket, host, port, true);
            setRemaining(tls, deadline);
            tls.startHandshake();
            return tls;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static String requestHead(URI uri, List<ProbeActions.Header> headers) {
        String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            target += "?" + uri.getRawQuery();
        }
        String hostHeader = uri.getRawAuthority();
        StringBuilder extra = new StringBuilder();
        boolean accept = false;
        for (ProbeActions.Header h : headers) {
            if ("host".equalsIgnoreCase(h.name())) {
                hostHeader = h.value();
            } else if (!h.name().isBlank() && h.name().chars().noneMatch(c -> c == '\r' || c == '\n')
                    && h.value().chars().noneMatch(c -> c == '\r' || c == '\n')) {
                accept |= "accept".equalsIgnoreCase(h.name());
                extra.append(h.name()).append(": ").append(h.value()).append("\r\n");
            }
        }
        if (!accept) {
            extra.append("Accept: */*\r\n");
        }
        return "GET " + target + " HTTP/1.1\r\nHost: " + hostHeader + "\r\n" + extra + "Connection: close\r\n\r\n";
    }

    private static int parseStatus(String statusLine) throws IOException {
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("malformed HTTP response " + GoErrors.quote(statusLine));
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("malformed HTTP status code " + GoErrors.quote(parts[1]));
        }
    }

    /**
     * Up to 10 KiB of body, framed by Content-Length or chunks (servers may keep the connection open despite
     * "Connection: close"); a slow or broken body is not waited for beyond the deadline (the status decides).
     */
    private static String readBody(Socket socket, InputStream in, int status, List<String[]> headers,
            long deadline) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (status == 204 || status == 304 || (status >= 100 && status < 200)) {
            return "";
        }
        try {
            if ("chunked".equalsIgnoreCase(header(headers, "transfer-encoding"))) {
                for (long size = chunkSize(socket, in, deadline); size > 0; size = chunkSize(socket, in, deadline)) {
                    copy(socket, in, body, size, deadline);
                    if (body.size() >= ContainerProbeActions.MAX_OUTPUT) {
                        break;
                    }
                    readLine(in); // the CRLF after the chunk
                }
            } else {
                String length = header(headers, "content-length");
                copy(socket, in, body, length == null ? Long.MAX_VALUE : Long.parseLong(length.trim()), deadline);
            }
        } catch (IOException | NumberFormatException e) {
            // keep what arrived
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static long chunkSize(Socket socket, InputStream in, long deadline) throws IOException {
        setRemaining(socket, deadline);
        String line = readLine(in);
        int extension = line.indexOf(';');
        return Long.parseLong((extension >= 0 ? line.substring(0, extension) : line).trim(), 16);
    }

    /** Copies up to {@code length} bytes, stopping at end of stream or once the body holds 10 KiB. */
    private static void copy(Socket socket, InputStream in, ByteArrayOutputStream body, long length, long deadline)
            throws IOException {
        byte[] buffer = new byte[4096];
        long left = length;
        while (left > 0 && body.size() < ContainerProbeActions.MAX_OUTPUT) {
            setRemaining(socket, deadline);
            int want = (int) Math.min(Math.min(buffer.length, left), ContainerProbeActions.MAX_OUTPUT - body.size());
            int n = in.read(buffer, 0, want);
            if (n < 0) {
                return;
            }
            body.write(buffer, 0, n);
            left -= n;
        }
    }

    private static String header(List<String[]> headers, String name) {
        for (String[] header : headers) {
            if (header[0].equalsIgnoreCase(name)) {
                return header[1];
            }
        }
        return null;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException(line.size() == 0 ? "EOF" : "unexpected EOF");
            }
            if (line.size() > MAX_HEADER_BYTES) {
                throw new IOException("net/http: server response headers exceeded " + MAX_HEADER_BYTES + " bytes");
            }
            line.write(c);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private static void setRemaining(Socket socket, long deadline) throws IOException {
        socket.setSoTimeout(remainingMillis(deadline));
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long millis = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
        if (millis <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private record Response(int status, List<String[]> headers, String body) {

        /** Where a redirect Go's client follows points (301, 302, 303, 307, 308 with a Location), else null. */
        URI redirectTarget(URI from) {
            if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
                return null;
            }
            String location = header(headers, "location");
            try {
                return location == null ? null : from.resolve(location);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /** A connect failure, already worded as Go's dialer. */
    private static final class DialException extends IOException {
        DialException(String message) {
            super(message);
        }
    }

    private static final SSLContext TRUST_ALL = io.k4j.pki.AnyServerTls.context();

    /** Probes skip certificate and host name checks, as upstream's (InsecureSkipVerify). */
}

package io.k4j.kubelet.server;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resize messages: JSON objects {@code {"Width":W,"Height":H}}, one per WebSocket message, or back to back on a
 * SPDY resize stream (so bytes are collected until an object is complete).
 */
final class TerminalSize {

    private static final Pattern WIDTH = Pattern.compile("\"Width\"\\s*:\\s*(\\d+)");
    private static final Pattern HEIGHT = Pattern.compile("\"Height\"\\s*:\\s*(\\d+)");

    private final StringBuilder pending = new StringBuilder();

    record Size(int width, int height) {
    }

    /** Adds bytes; returns the sizes completed by them. */
    List<Size> feed(byte[] data) {
        pending.append(new String(data, java.nio.charset.StandardCharsets.UTF_8));
        List<Size> sizes = new ArrayList<>();
        int end;
        while ((end = pending.indexOf("}")) >= 0) {
            String object = pending.substring(0, end + 1);
            pending.delete(0, end + 1);
            sizes.add(new Size(number(WIDTH, object), number(HEIGHT, object)));
        }
        return sizes;
    }

    private static int number(Pattern field, String object) {
        Matcher matcher = field.matcher(object);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }
}

package io.k4j.store.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The byte range [start, end) that a key prefix covers, ordered like etcd orders keys (unsigned bytes).
 * UTF-8 never contains the byte 0xFF, so the range of the empty prefix ends at {0xFF}.
 */
public record KeyRange(byte[] start, byte[] end) {

    private static final byte[] EVERYTHING_END = {(byte) 0xFF};

    public static KeyRange ofPrefix(String prefix) {
        byte[] start = bytes(prefix);
        return new KeyRange(start, prefixEnd(start));
    }

    /** The smallest key greater than every key that starts with {@code prefix}. */
    public static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return EVERYTHING_END.clone();
    }

    /** The smallest key strictly greater than {@code key}: the key followed by a zero byte. */
    public static byte[] successor(String key) {
        byte[] raw = bytes(key);
        return Arrays.copyOf(raw, raw.length + 1);
    }

    public static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    public static String text(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }
}

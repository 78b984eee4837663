package io.k4j.kubelet.image;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a tar stream (POSIX ustar, PAX extended headers, GNU long names and base-256 numbers) one entry at a time:
 * {@link #next()} returns the next header and {@link #content()} streams that entry's data. Image layers need no
 * more than this, so the store carries no archive library.
 */
final class TarReader {
    private static final int BLOCK = 512;
    private static final String XATTR_PREFIX = "SCHILY.xattr.";

    private final InputStream in;
    private final Map<String, String> globalPax = new HashMap<>();
    private long remaining;
    private long padding;
    private boolean started;

    TarReader(InputStream in) {
        this.in = in;
    }

    /** The next entry, or null at the end of the archive. */
    TarEntry next() throws IOException {
        skipRest();
        Map<String, String> pax = new HashMap<>(globalPax);
        String longName = null;
        String longLink = null;
        while (true) {
            byte[] header = new byte[BLOCK];
            if (!readBlock(header)) {
                return null;
            }
            if (isZero(header)) {
                return null;
            }
            verifyChecksum(header);
            char type = (char) header[156];
            long size = number(header, 124, 12);
            switch (type) {
                case 'x' -> pax.putAll(parsePax(readData(size)));
                case 'g' -> {
                    Map<String, String> global = parsePax(readData(size));
                    globalPax.putAll(global);
                    pax.putAll(global);
                }
                case 'L' -> longName = cString(readData(size), 0, (int) size);
                case 'K' -> longLink = cString(readData(size), 0, (int) size);
                default -> {
                    return entry(header, type, size, pax, longName, longLink);
                }
            }
        }
    }

    /** The data of the entry {@link #next()} returned last; read it before calling next again (or don't). */
    InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (remaining == 0) {
                    return -1;
                }
                int n = in.read(buffer, offset, (int) Math.min(length, remaining));
                if (n < 0) {
                    throw new EOFException("tar entry truncated");
                }
                remaining -= n;
                return n;
            }
        };
    }

    private TarEntry entry(byte[] header, char type, long size, Map<String, String> pax, String longName,
            String longLink) throws IOException {
        String name = pax.getOrDefault("path", longName != null ? longName : ustarName(header));
        String link = pax.getOrDefault("linkpath", longLink != null ? longLink : cString(header, 157, 100));
        if (pax.containsKey("size")) {
            size = Long.parseLong(pax.get("size"));
        }
        TarEntry.Type entryType = switch (type) {
            case '0', '\0', '7' -> TarEntry.Type.FILE;
            case '1' -> TarEntry.Type.HARDLINK;
            case '2' -> TarEntry.Type.SYMLINK;
            case '3' -> TarEntry.Type.CHAR_DEVICE;
            case '4' -> TarEntry.Type.BLOCK_DEVICE;
            case '5' -> TarEntry.Type.DIRECTORY;
            case '6' -> TarEntry.Type.FIFO;
            default -> TarEntry.Type.OTHER;
        };
        // Old archives mark directories only by a trailing slash.
        if (entryType == TarEntry.Type.FILE && name.endsWith("/")) {
            entryType = TarEntry.Type.DIRECTORY;
        }
        // Links, devices and directories have no data even if a header claims a size.
        long dataSize = entryType == TarEntry.Type.FILE || entryType == TarEntry.Type.OTHER ? size : 0;
        remaining = dataSize;
        padding = (BLOCK - dataSize % BLOCK) % BLOCK;
        Map<String, byte[]> xattrs = new LinkedHashMap<>();
        pax.forEach((key, value) -> {
            if (key.startsWith(XATTR_PREFIX)) {
                xattrs.put(key.substring(XATTR_PREFIX.length()), value.getBytes(StandardCharsets.ISO_8859_1));
            }
        });
        int uid = pax.containsKey("uid") ? Integer.parseInt(pax.get("uid")) : (int) number(header, 108, 8);
        int gid = pax.containsKey("gid") ? Integer.parseInt(pax.get("gid")) : (int) number(header, 116, 8);
        long mtime = pax.containsKey("mtime") ? (long) Double.parseDouble(pax.get("mtime")) : number(header, 136, 12);
        return new TarEntry(name, entryType, (int) number(header, 100, 8) & 07777, uid, gid, dataSize, mtime, link,
                (int) number(header, 329, 8), (int) number(header, 337, 8), xattrs);
    }

    /** ustar splits long names into prefix/name; GNU archives ("ustar  ") use the prefix field for other things. */
    private static String ustarName(byte[] header) {
        String name = cString(header, 0, 100);
        boolean posix = header[257] == 'u' && header[262] == 0;
        if (posix && header[345] != 0) {
            return cString(header, 345, 155) + "/" + name;
        }
        return name;
    }

    /** PAX records are "LENGTH KEY=VALUE\n"; values are UTF-8 except xattr values, which are raw bytes. */
    private static Map<String, String> parsePax(byte[] data) throws IOException {
        Map<String, String> records = new HashMap<>();
        int position = 0;
        while (position < data.length && data[position] != 0) {
            int space = position;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, position, space - position, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new IOException("malformed PAX header");
            }
            int end = position + length;
            if (length <= 0 || end > data.length || data[end - 1] != '\n') {
                throw new IOException("malformed PAX header");
            }
            int equals = space + 1;
            while (equals < end && data[equals] != '=') {
                equals++;
            }
            String key = new String(data, space + 1, equals - space - 1, StandardCharsets.UTF_8);
            boolean raw = key.startsWith(XATTR_PREFIX);
            String value = new String(data, equals + 1, end - 1 - equals - 1,
                    raw ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
            records.put(key, value);
            position = end;
        }
        return records;
    }

    private byte[] readData(long size) throws IOException {
        if (size > 1 << 20) {
            throw new IOException("tar extension header too large: " + size + " bytes");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length != size) {
            throw new EOFException("tar archive truncated");
        }
        skip((BLOCK - size % BLOCK) % BLOCK);
        return data;
    }

    private void skipRest() throws IOException {
        skip(remaining);
        remaining = 0;
        // Some writers (umoci) end the archive right after the last file's data, without padding or end blocks.
        in.readNBytes((int) padding);
        padding = 0;
    }

    /** Skips by reading: a digesting stream underneath must see every byte. */
    private void skip(long count) throws IOException {
        byte[] buffer = new byte[8192];
        long left = count;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("tar archive truncated");
            }
            left -= n;
        }
    }

    private boolean readBlock(byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw started ? new EOFException("tar archive truncated") : new IOException("not a tar archive");
        }
        started = true;
        return true;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static void verifyChecksum(byte[] header) throws IOException {
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = i >= 148 && i < 156 ? ' ' : header[i];
            unsigned += b & 0xff;
            signed += b;
        }
        long recorded = number(header, 148, 8);
        if (recorded != unsigned && recorded != signed) {
            throw new IOException("not a tar archive (header checksum mismatch)");
        }
    }

    /** An octal field, or a base-256 one (high bit set) for values octal cannot hold. */
    static long number(byte[] header, int offset, int length) throws IOException {
        if ((header[offset] & 0x80) != 0) {
            long value = header[offset] & 0x3f;
            for (int i = 1; i < length; i++) {
                value = (value << 8) | (header[offset + i] & 0xff);
            }
            return value;
        }
        long value = 0;
        for (int i = offset; i < offset + length; i++) {
            byte b = header[i];
            if (b == 0 || b == ' ') {
                if (value != 0 || allBlank(header, i, offset + length)) {
                    break;
                }
                continue;
            }
            if (b < '0' || b > '7') {
                throw new IOException("not a tar archive (bad number in header)");
            }
            value = value * 8 + (b - '0');
        }
        return value;
    }

    private static boolean allBlank(byte[] header, int from, int to) {
        for (int i = from; i < to; i++) {
            if (header[i] != 0 && header[i] != ' ') {
                return false;
            }
        }
        return true;
    }

    private static String cString(byte[] data, int offset, int length) {
        int end = offset;
        while (end < offset + length && data[end] != 0) {
            end++;
        }
        return new String(data, offset, end - offset, StandardCharsets.UTF_8);
    }
}

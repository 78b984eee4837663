package io.k4j.kubelet.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes small tar archives byte by byte for unpacker tests (ustar headers, PAX and GNU long-name records). */
final class TarBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    TarBuilder file(String name, String content, int mode, int uid, int gid, long mtime) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        header(name, '0', mode, uid, gid, data.length, mtime, "");
        data(data);
        return this;
    }

    TarBuilder directory(String name, int mode, long mtime) {
        header(name, '5', mode, 0, 0, 0, mtime, "");
        return this;
    }

    TarBuilder symlink(String name, String target) {
        header(name, '2', 0777, 0, 0, 0, 0, target);
        return this;
    }

    TarBuilder hardlink(String name, String target) {
        header(name, '1', 0644, 0, 0, 0, 0, target);
        return this;
    }

    TarBuilder fifo(String name, int mode) {
        header(name, '6', mode, 0, 0, 0, 0, "");
        return this;
    }

    /** A PAX extended header applying to the next entry. */
    TarBuilder pax(String... keyValues) {
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < keyValues.length; i += 2) {
            String body = " " + keyValues[i] + "=" + keyValues[i + 1] + "\n";
            int length = body.getBytes(StandardCharsets.UTF_8).length;
            int digits = Integer.toString(length).length();
            int total = length + digits;
            if (Integer.toString(total).length() != digits) {
                total++;
            }
            records.append(total).append(body);
        }
        byte[] data = records.toString().getBytes(StandardCharsets.UTF_8);
        header("PaxHeaders/x", 'x', 0644, 0, 0, data.length, 0, "");
        data(data);
        return this;
    }

    /** A GNU long-name record ('L') for the next entry. */
    TarBuilder gnuLongName(String name) {
        byte[] data = (name + "\0").getBytes(StandardCharsets.UTF_8);
        header("././@LongLink", 'L', 0644, 0, 0, data.length, 0, "");
        data(data);
        return this;
    }

    byte[] build() {
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private void header(String name, char type, int mode, int uid, int gid, long size, long mtime, String link) {
        byte[] header = new byte[512];
        put(header, 0, 100, name.length() > 100 ? name.substring(0, 100) : name);
        octal(header, 100, 8, mode);
        octal(header, 108, 8, uid);
        octal(header, 116, 8, gid);
        octal(header, 124, 12, size);
        octal(header, 136, 12, mtime);
        header[156] = (byte) type;
        put(header, 157, 100, link);
        put(header, 257, 6, "ustar");
        put(header, 263, 2, "00");
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, 8, String.format("%06o", sum) + "\0 ");
        out.writeBytes(header);
    }

    private void data(byte[] data) {
        out.writeBytes(data);
        out.writeBytes(new byte[(512 - data.length % 512) % 512]);
    }

    private static void octal(byte[] header, int offset, int length, long value) {
        put(header, offset, length, String.format("%0" + (length - 1) + "o", value));
    }

    private static void put(byte[] header, int offset, int length, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, header, offset, Math.min(length, bytes.length));
    }
}

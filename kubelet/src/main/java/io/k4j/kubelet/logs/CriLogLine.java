package io.k4j.kubelet.logs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;

/**
 * One line of a CRI log file: {@code <RFC3339Nano time> <stdout|stderr> <F|P> <text>}. {@code P} marks a partial
 * line whose text continues on the next line of the same stream; {@code F} ends it.
 */
public record CriLogLine(Instant time, String stream, boolean partial, byte[] text) {

    /** Parses a line without its trailing newline; empty when it is not in CRI format. */
    public static Optional<CriLogLine> parse(byte[] line, int length) {
        int timeEnd = indexOf(line, 0, length, (byte) ' ');
        int streamEnd = timeEnd < 0 ? -1 : indexOf(line, timeEnd + 1, length, (byte) ' ');
        if (streamEnd < 0) {
            return Optional.empty();
        }
        Instant time;
        try {
            time = Instant.parse(new String(line, 0, timeEnd, StandardCharsets.US_ASCII));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        String stream = new String(line, timeEnd + 1, streamEnd - timeEnd - 1, StandardCharsets.US_ASCII);
        if (!stream.equals("stdout") && !stream.equals("stderr")) {
            return Optional.empty();
        }
        // The tag is optional in old files (no tag means a full line).
        int textStart = streamEnd + 1;
        boolean partial = false;
        int tagEnd = indexOf(line, textStart, length, (byte) ' ');
        if (tagEnd >= 0) {
            String tag = new String(line, textStart, tagEnd - textStart, StandardCharsets.US_ASCII);
            if (tag.equals("P") || tag.equals("F")) {
                partial = tag.equals("P");
                textStart = tagEnd + 1;
            }
        } else if (length - textStart == 1 && (line[textStart] == 'F' || line[textStart] == 'P')) {
            partial = line[textStart] == 'P';
            textStart = length;
        }
        return Optional.of(new CriLogLine(time, stream, partial, Arrays.copyOfRange(line, textStart, length)));
    }

    /** The line as the runtime writes it (tests and simulated runtimes). */
    public static String format(Instant time, String stream, boolean partial, String text) {
        return CriTimestamps.format(time) + " " + stream + " " + (partial ? "P" : "F") + " " + text + "\n";
    }

    private static int indexOf(byte[] bytes, int from, int to, byte wanted) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}

package io.k4j.kubelet.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Writes a container's CRI log file to a client the way the kubelet does: partial lines joined, optional
 * timestamps, tail, since and a byte limit; with follow, keeps reading as the file grows and across rotations
 * (the rotator renames the file and the runtime reopens the same path) until the container has exited and the
 * file is drained.
 */
public final class ContainerLogReader {

    private static final int READ_SIZE = 64 * 1024;

    private final Duration pollInterval;
    private final Sleeper sleeper;

    /** How follow waits for more; tests pass one that advances a fake world instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException, IOException;
    }

    public ContainerLogReader(Duration pollInterval, Sleeper sleeper) {
        this.pollInterval = pollInterval;
        this.sleeper = sleeper;
    }

    public ContainerLogReader() {
        this(Duration.ofMillis(100), duration -> Thread.sleep(duration));
    }

    /**
     * Copies the log at {@code path} to {@code out} (flushing after each batch) and returns when done: at the end of
     * the file, or with follow when {@code exited} says the container has ended and nothing more is left, or when
     * the limit is reached. An IOException from {@code out} (the client went away) ends it too.
     */
    public void copy(Path path, LogOptions options, BooleanSupplier exited, OutputStream out)
            throws IOException, InterruptedException {
        Output output = new Output(out, options);
        try (Cursor cursor = new Cursor(path)) {
            if (options.tailLines() >= 0) {
                writeTail(cursor, options, output);
            } else {
                cursor.readLines(output::accept);
            }
            output.flush();
            while (options.follow() && !output.full()) {
                // Looked at before reading, so lines written just before the exit are not lost.
                boolean ended = exited.getAsBoolean();
                if (cursor.readLines(output::accept) > 0) {
                    output.flush();
                    continue;
                }
                if (cursor.reopenIfRotated()) {
                    continue;
                }
                if (ended) {
                    break;
                }
                // An idle follow still notices a client that went away (the flush fails).
                output.flush();
                sleeper.sleep(pollInterval);
            }
        } catch (InterruptedIOException e) {
            throw new InterruptedException(e.getMessage());
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        output.flush();
    }

    private static void writeTail(Cursor cursor, LogOptions options, Output output) throws IOException {
        Deque<CriLogLine> last = new ArrayDeque<>();
        long[] complete = {0};
        cursor.readLines(line -> {
            last.addLast(line);
            if (!line.partial()) {
                complete[0]++;
            }
            // Keep whole messages: drop from the front while more than tailLines complete messages remain.
            while (complete[0] > options.tailLines()) {
                CriLogLine dropped = last.removeFirst();
                if (!dropped.partial()) {
                    complete[0]--;
                }
            }
        });
        for (CriLogLine line : last) {
            output.accept(line);
        }
    }

    /** The open log file: where we are in it, and the bytes of a line not yet ended by a newline. */
    private static final class Cursor implements AutoCloseable {
        private final Path path;
        private FileChannel channel;
        private Object fileKey;
        private final ByteArrayOutputStream pendingLine = new ByteArrayOutputStream();
        private final ByteBuffer buffer = ByteBuffer.allocate(READ_SIZE);

        Cursor(Path path) throws IOException {
            this.path = path;
            open();
        }

        private void open() throws IOException {
            channel = FileChannel.open(path, StandardOpenOption.READ);
            fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            pendingLine.reset();
        }

        /** Reads to the current end of the file, handing over each complete line; returns the bytes read. */
        long readLines(LineSink sink) throws IOException {
            long total = 0;
            while (true) {
                buffer.clear();
                int read = channel.read(buffer);
                if (read <= 0) {
                    return total;
                }
                total += read;
                byte[] bytes = buffer.array();
                int start = 0;
                for (int i = 0; i < read; i++) {
                    if (bytes[i] == '\n') {
                        pendingLine.write(bytes, start, i - start);
                        emit(sink);
                        start = i + 1;
                    }
                }
                pendingLine.write(bytes, start, read - start);
            }
        }

        private void emit(LineSink sink) throws IOException {
            byte[] line = pendingLine.toByteArray();
            pendingLine.reset();
            CriLogLine.parse(line, line.length).ifPresent(parsed -> {
                try {
                    sink.accept(parsed);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }

        /** When the path now names another file (rotated and reopened), switches to it from its start. */
        boolean reopenIfRotated() throws IOException {
            Object current;
            try {
                current = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            } catch (NoSuchFileException e) {
                return false; // renamed, not yet reopened: wait
            }
            if (Objects.equals(current, fileKey)) {
                return false;
            }
            channel.close();
            open();
            return true;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    @FunctionalInterface
    private interface LineSink {
        void accept(CriLogLine line) throws IOException;
    }

    /** Formats messages for the client: joins partials, adds timestamps, filters by time, and counts bytes. */
    private static final class Output {
        private final OutputStream out;
        private final LogOptions options;
        private boolean atMessageStart = true;
        private boolean skippingMessage;
        private long written;

        Output(OutputStream out, LogOptions options) {
            this.out = out;
            this.options = options;
        }

        void accept(CriLogLine line) {
            try {
                write(line);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private void write(CriLogLine line) throws IOException {
            if (full()) {
                return;
            }
            if (atMessageStart) {
                skippingMessage = options.since() != null && line.time().isBefore(options.since());
                if (!skippingMessage && options.timestamps()) {
                    put((CriTimestamps.format(line.time()) + " ").getBytes(StandardCharsets.US_ASCII));
                }
            }
            if (!skippingMessage) {
                put(line.text());
                if (!line.partial()) {
                    put(new byte[] {'\n'});
                }
            }
            atMessageStart = !line.partial();
        }

        private void put(byte[] bytes) throws IOException {
            int length = bytes.length;
            if (options.limitBytes() >= 0) {
                length = (int) Math.min(length, options.limitBytes() - written);
            }
            out.write(bytes, 0, length);
            written += length;
        }

        boolean full() {
            return options.limitBytes() >= 0 && written >= options.limitBytes();
        }

        void flush() throws IOException {
            out.flush();
        }
    }
}

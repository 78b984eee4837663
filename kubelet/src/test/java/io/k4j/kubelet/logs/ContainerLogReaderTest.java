package io.k4j.kubelet.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLogReaderTest {

    private static final Instant T0 = Instant.parse("2026-11-27T01:00:00.123456789Z");

    @TempDir
    Path dir;

    private Path log(String... lines) throws Exception {
        Path path = dir.resolve("0.log");
        Files.writeString(path, String.join("", lines));
        return path;
    }

    private static String line(int secondsAfter, String stream, boolean partial, String text) {
        return CriLogLine.format(T0.plusSeconds(secondsAfter), stream, partial, text);
    }

    private static String read(Path path, LogOptions options) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ContainerLogReader(Duration.ZERO, d -> { }).copy(path, options, () -> true, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void joinsPartialLinesAndKeepsBothStreams() throws Exception {
        Path path = log(line(0, "stdout", true, "hel"), line(0, "stdout", false, "lo"), line(1, "stderr", false, "oops"),
                "not a cri line\n", line(2, "stdout", false, ""));
        assertThat(read(path, LogOptions.ALL)).isEqualTo("hello\noops\n\n");
    }

    @Test
    void timestampsPrefixEachMessageWithItsFirstPartsTime() throws Exception {
        Path path = log(line(0, "stdout", true, "a"), line(5, "stdout", false, "b"), line(6, "stdout", false, "c"));
        assertThat(read(path, new LogOptions(-1, null, true, -1, false, false)))
                .isEqualTo("2026-11-27T01:00:00.123456789Z ab\n2026-11-27T01:00:06.123456789Z c\n");
    }

    @Test
    void rfc3339NanoDropsTrailingZeros() {
        assertThat(CriTimestamps.format(Instant.parse("2026-11-27T01:00:00.120Z"))).isEqualTo("2026-11-27T01:00:00.12Z");
        assertThat(CriTimestamps.format(Instant.parse("2026-11-27T01:00:00Z"))).isEqualTo("2026-11-27T01:00:00Z");
    }

    @Test
    void tailCountsWholeMessages() throws Exception {
        Path path = log(line(0, "stdout", false, "1"), line(1, "stdout", true, "2a"), line(1, "stdout", false, "2b"),
                line(2, "stdout", false, "3"));
        assertThat(read(path, new LogOptions(2, null, false, -1, false, false))).isEqualTo("2a2b\n3\n");
        assertThat(read(path, new LogOptions(0, null, false, -1, false, false))).isEmpty();
        assertThat(read(path, new LogOptions(10, null, false, -1, false, false))).isEqualTo("1\n2a2b\n3\n");
    }

    @Test
    void sinceSecondsCountsBackFromTheInjectedClock() throws Exception {
        Path path = log(line(0, "stdout", false, "old"), line(10, "stdout", false, "new"));
        InstantSource clock = InstantSource.fixed(T0.plusSeconds(15));
        LogOptions options = LogOptions.fromQuery(Map.of("sinceSeconds", List.of("5")), clock);
        assertThat(read(path, options)).isEqualTo("new\n");
        LogOptions byTime = LogOptions.fromQuery(Map.of("sinceTime", List.of("2026-11-27T01:00:10.123456789Z")), clock);
        assertThat(read(path, byTime)).isEqualTo("new\n");
    }

    @Test
    void limitBytesCutsExactly() throws Exception {
        Path path = log(line(0, "stdout", false, "abcdef"), line(1, "stdout", false, "ghi"));
        assertThat(read(path, new LogOptions(-1, null, false, 8, false, false))).isEqualTo("abcdef\ng");
    }

    @Test
    void queryErrorsSayWhatIsWrong() {
        InstantSource clock = InstantSource.fixed(T0);
        assertThatThrownBy(() -> LogOptions.fromQuery(Map.of("tailLines", List.of("x")), clock))
                .hasMessage("tailLines: Invalid value: \"x\": not a number");
        assertThatThrownBy(() -> LogOptions.fromQuery(Map.of("sinceSeconds", List.of("1"),
                "sinceTime", List.of("2026-11-27T01:00:00Z")), clock))
                .hasMessage("at most one of sinceTime or sinceSeconds may be specified");
        assertThat(LogOptions.fromQuery(Map.of("follow", List.of("True"), "previous", List.of("1")), clock))
                .isEqualTo(new LogOptions(-1, null, false, -1, true, true));
    }

    @Test
    void followReadsGrowthAndRotationUntilTheContainerExitedAndTheFileIsDrained() throws Exception {
        Path path = log(line(0, "stdout", false, "first"));
        AtomicInteger polls = new AtomicInteger();
        boolean[] exited = {false};
        // Each wait is a step of the fake world: the file grows, is rotated, and the container exits.
        ContainerLogReader.Sleeper world = duration -> {
            switch (polls.incrementAndGet()) {
                case 1 -> append(path, line(1, "stdout", true, "sec"));
                case 2 -> append(path, line(1, "stdout", false, "ond"));
                case 3 -> {
                    Files.move(path, dir.resolve("0.log.20261127-010000"));
                }
                case 4 -> Files.writeString(path, line(2, "stderr", false, "after rotation"));
                case 5 -> {
                    append(path, line(3, "stdout", false, "last"));
                    exited[0] = true;
                }
                default -> throw new AssertionError("still following after the container exited");
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ContainerLogReader(Duration.ofMillis(1), world)
                .copy(path, new LogOptions(-1, null, false, -1, true, false), () -> exited[0], out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("first\nsecond\nafter rotation\nlast\n");
    }

    @Test
    void anIdleFollowEndsWhenTheClientIsGone() throws Exception {
        Path path = log(line(0, "stdout", false, "only"));
        AtomicInteger polls = new AtomicInteger();
        boolean[] clientGone = {false};
        java.io.OutputStream client = new java.io.ByteArrayOutputStream() {
            @Override
            public void flush() throws java.io.IOException {
                if (clientGone[0]) {
                    throw new java.io.IOException("the client went away");
                }
            }
        };
        ContainerLogReader reader = new ContainerLogReader(Duration.ofMillis(1), duration -> {
            polls.incrementAndGet();
            clientGone[0] = true;
        });
        assertThatThrownBy(() -> reader.copy(path, new LogOptions(-1, null, false, -1, true, false), () -> false,
                client)).hasMessage("the client went away");
        assertThat(polls).hasValue(1);
    }

    private static void append(Path path, String text) {
        try {
            Files.writeString(path, text, StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

package io.k4j.apiserver.table;

import static io.k4j.apiserver.table.Fixtures.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgesTest {

    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    @ParameterizedTest
    @CsvSource({
            "-5, <invalid>", "-2, <invalid>", "-1, 0s", "0, 0s", "59, 59s", "119, 119s", "120, 2m", "150, 2m30s",
            "599, 9m59s", "600, 10m", "601, 10m", "10799, 179m", "10800, 3h", "11100, 3h5m", "28799, 7h59m",
            "28800, 8h", "172799, 47h", "172800, 2d", "180000, 2d2h", "691200, 8d", "63071999, 729d",
            "63072000, 2y", "63158400, 2y1d", "252288000, 8y", "315360000, 10y"})
    void humanDurationHasUpstreamPrecision(long seconds, String expected) {
        assertThat(Ages.human(Duration.ofSeconds(seconds))).isEqualTo(expected);
    }

    @Test
    void fractionsOfASecondRoundTowardZero() {
        assertThat(Ages.human(Duration.ofMillis(-1999))).isEqualTo("0s");
        assertThat(Ages.human(Duration.ofMillis(119_999))).isEqualTo("119s");
    }

    @Test
    void ageComesFromTheCreationTimestamp() {
        assertThat(Ages.of(object("{\"metadata\":{\"creationTimestamp\":\"2025-01-01T11:55:00Z\"}}"), NOW))
                .isEqualTo("5m");
        assertThat(Ages.of(object("{\"metadata\":{\"creationTimestamp\":\"2024-12-30T12:00:00.123456Z\"}}"), NOW))
                .isEqualTo("47h");
        assertThat(Ages.of(object("{\"metadata\":{\"creationTimestamp\":\"2025-01-01T13:00:00+02:00\"}}"), NOW))
                .isEqualTo("60m");
        assertThat(Ages.of(object("{\"metadata\":{\"name\":\"x\"}}"), NOW)).isEqualTo("<unknown>");
        assertThat(Ages.since("not a time", NOW)).isEqualTo("<unknown>");
    }
}

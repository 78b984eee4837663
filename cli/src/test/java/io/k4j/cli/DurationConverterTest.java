package io.k4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsKubernetesStyleDurations() {
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(converter.convert("1h30m")).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void refusesAnythingElse() {
        for (String bad : new String[] {"", "5", "5x", "m5", "5m junk"}) {
            assertThatThrownBy(() -> converter.convert(bad)).isInstanceOf(CommandLine.TypeConversionException.class);
        }
    }
}

package io.k4j.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static Instant next(String spec, ZoneId zone, String after) throws Exception {
        return CronSchedule.parse(spec, zone).next(Instant.parse(after));
    }

    private static Instant next(String spec, String after) throws Exception {
        return next(spec, ZoneOffset.UTC, after);
    }

    @Test
    void stepsRangesListsAndNames() throws Exception {
        assertThat(next("*/15 * * * *", "2026-03-02T10:07:30Z")).isEqualTo("2026-03-02T10:15:00Z");
        assertThat(next("* * * * *", "2026-03-02T10:07:00Z")).isEqualTo("2026-03-02T10:08:00Z");
        assertThat(next("5/20 * * * *", "2026-03-02T10:46:00Z")).isEqualTo("2026-03-02T11:05:00Z");
        assertThat(next("0 9 * * MON-FRI", "2026-03-06T10:00:00Z")).isEqualTo("2026-03-09T09:00:00Z"); // Fri -> Mon
        assertThat(next("0 0 1 jan,JUL ?", "2026-03-02T00:00:00Z")).isEqualTo("2026-07-01T00:00:00Z");
        assertThat(next("10-12/2 3 * * *", "2026-03-02T03:10:00Z")).isEqualTo("2026-03-02T03:12:00Z");
        assertThat(next("0 0 29 2 *", "2026-03-02T00:00:00Z")).isEqualTo("2028-02-29T00:00:00Z");
    }

    @Test
    void restrictedDayFieldsMatchEitherDay() throws Exception {
        // 2026-03-04 is a Wednesday: day 15 or any Wednesday.
        assertThat(next("0 0 15 * WED", "2026-03-02T00:00:00Z")).isEqualTo("2026-03-04T00:00:00Z");
        assertThat(next("0 0 15 * WED", "2026-03-11T00:00:00Z")).isEqualTo("2026-03-15T00:00:00Z");
        // A starred day-of-week means only the day of month counts.
        assertThat(next("0 0 15 * *", "2026-03-02T00:00:00Z")).isEqualTo("2026-03-15T00:00:00Z");
        // "*/2" is not a star: both restricted, so either matches (odd days or Sundays).
        assertThat(next("0 0 */2 * SUN", "2026-03-03T00:00:00Z")).isEqualTo("2026-03-05T00:00:00Z");
    }

    @Test
    void descriptors() throws Exception {
        assertThat(next("@hourly", "2026-03-02T10:07:00Z")).isEqualTo("2026-03-02T11:00:00Z");
        assertThat(next("@daily", "2026-03-02T10:07:00Z")).isEqualTo("2026-03-03T00:00:00Z");
        assertThat(next("@midnight", "2026-03-02T10:07:00Z")).isEqualTo("2026-03-03T00:00:00Z");
        assertThat(next("@weekly", "2026-03-02T10:07:00Z")).isEqualTo("2026-03-08T00:00:00Z");
        assertThat(next("@monthly", "2026-03-02T10:07:00Z")).isEqualTo("2026-04-01T00:00:00Z");
        assertThat(next("@yearly", "2026-03-02T10:07:00Z")).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(next("@annually", "2026-03-02T10:07:00Z")).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(next("@every 1m30s", "2026-03-02T10:07:00.250Z")).isEqualTo("2026-03-02T10:08:30Z");
        assertThat(next("@every 100ms", "2026-03-02T10:07:00Z")).isEqualTo("2026-03-02T10:07:01Z");
    }

    @Test
    void timeZonesAndDaylightSavingTransitions() throws Exception {
        assertThat(next("0 9 * * *", NEW_YORK, "2026-01-05T12:00:00Z")).isEqualTo("2026-01-05T14:00:00Z");
        assertThat(next("TZ=Asia/Tokyo 0 9 * * *", "2026-01-05T12:00:00Z")).isEqualTo("2026-01-06T00:00:00Z");
        // 2026-03-08 02:00 EST jumps to 03:00 EDT: 02:30 does not exist that day and is skipped.
        assertThat(next("30 2 * * *", NEW_YORK, "2026-03-07T12:00:00Z")).isEqualTo("2026-03-09T06:30:00Z");
        assertThat(next("0 * * * *", NEW_YORK, "2026-03-08T06:00:00Z")).isEqualTo("2026-03-08T07:00:00Z");
        assertThat(next("0 9 * * *", NEW_YORK, "2026-03-07T15:00:00Z")).isEqualTo("2026-03-08T13:00:00Z");
        // 2026-11-01 02:00 EDT falls back to 01:00 EST: 01:30 happens twice, and fires twice.
        assertThat(next("30 1 * * *", NEW_YORK, "2026-11-01T04:00:00Z")).isEqualTo("2026-11-01T05:30:00Z");
        assertThat(next("30 1 * * *", NEW_YORK, "2026-11-01T05:30:00Z")).isEqualTo("2026-11-01T06:30:00Z");
        assertThat(next("30 1 * * *", NEW_YORK, "2026-11-01T06:30:00Z")).isEqualTo("2026-11-02T06:30:00Z");
    }

    @Test
    void errorsCarryTheParsersMessages() {
        assertError("", "empty spec string");
        assertError("* * *", "expected exactly 5 fields, found 3: [* * *]");
        assertError("99 * * * *", "end of range (99) above maximum (59): 99");
        assertError("* * 0 * *", "beginning of range (0) below minimum (1): 0");
        assertError("5-2 * * * *", "beginning of range (5) beyond end of range (2): 5-2");
        assertError("*/0 * * * *", "step of range should be a positive number: */0");
        assertError("1-2-3 * * * *", "too many hyphens: 1-2-3");
        assertError("a * * * *", "failed to parse int from a: strconv.Atoi: parsing \"a\": invalid syntax");
        assertError("* * * * 7", "end of range (7) above maximum (6): 7");
        assertError("@fortnightly", "unrecognized descriptor: @fortnightly");
        assertError("@every soon", "failed to parse duration @every soon: time: invalid duration \"soon\"");
    }

    private static void assertError(String spec, String message) {
        assertThatThrownBy(() -> CronSchedule.parse(spec, ZoneOffset.UTC))
                .isInstanceOf(CronSchedule.InvalidScheduleException.class).hasMessage(message);
    }
}

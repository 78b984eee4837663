package io.k4j.controllers.cronjob;

import io.k4j.cron.CronSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Which scheduled times a CronJob has let pass: pure, from the schedule, the earliest time to consider and now. */
final class ScheduleTimes {

    /** Upstream warns (TooManyMissedTimes) past this many missed start times. */
    static final int TOO_MANY_MISSED = 100;
    /** Windows searched back from now for the most recent time once counting forward would take too long. */
    private static final List<Duration> WINDOWS = List.of(Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(32),
            Duration.ofDays(366), Duration.ofDays(5 * 366));

    /**
     * @param mostRecent the latest scheduled time after {@code earliest} and not after now, or null if none
     * @param count      how many such times there were, counted up to {@link #TOO_MANY_MISSED} + 1
     */
    record Missed(Instant mostRecent, int count) {
        boolean tooMany() {
            return count > TOO_MANY_MISSED;
        }
    }

    private ScheduleTimes() {
    }

    static Missed missed(CronSchedule schedule, Instant earliest, Instant now) {
        Instant mostRecent = null;
        int count = 0;
        for (Instant t = schedule.next(earliest); t != null && !t.isAfter(now); t = schedule.next(t)) {
            mostRecent = t;
            if (++count > TOO_MANY_MISSED) {
                return new Missed(latestInWindows(schedule, earliest, now), count);
            }
        }
        return new Missed(mostRecent, count);
    }

    /** The latest time, searched from ever wider windows before now so that few steps are taken. */
    private static Instant latestInWindows(CronSchedule schedule, Instant earliest, Instant now) {
        for (Duration window : WINDOWS) {
            Instant from = now.minus(window).isAfter(earliest) ? now.minus(window) : earliest;
            Instant latest = null;
            for (Instant t = schedule.next(from); t != null && !t.isAfter(now); t = schedule.next(t)) {
                latest = t;
            }
            if (latest != null) {
                return latest;
            }
        }
        return null;
    }
}

package io.k4j.cron;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed cron schedule with the semantics of the parser upstream's CronJob controller uses (robfig/cron v3's
 * ParseStandard): five fields (minute, hour, day of month, month, day of week) with ranges, steps, lists, '*', '?'
 * and month/day names; the descriptors @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly and
 * "@every DURATION"; an optional TZ= or CRON_TZ= prefix. When both day fields are restricted a day matches either.
 * Pure: {@link #next} computes from the time it is given.
 */
public sealed interface CronSchedule {

    /** The first activation strictly after {@code after}, or null if none within five years. */
    Instant next(Instant after);

    /** A schedule that failed to parse; the message is the parser's, as upstream reports it. */
    final class InvalidScheduleException extends Exception {
        InvalidScheduleException(String message) {
            super(message);
        }
    }

    /** Parses {@code spec}, evaluated in {@code zone} unless the spec names its own with TZ= or CRON_TZ=. */
    static CronSchedule parse(String spec, ZoneId zone) throws InvalidScheduleException {
        String text = spec == null ? "" : spec.trim();
        if (text.isEmpty()) {
            throw new InvalidScheduleException("empty spec string");
        }
        if (text.startsWith("TZ=") || text.startsWith("CRON_TZ=")) {
            int space = text.indexOf(' ');
            String name = text.substring(text.indexOf('=') + 1, space < 0 ? text.length() : space);
            try {
                zone = ZoneId.of(name);
            } catch (DateTimeException e) {
                throw new InvalidScheduleException("provided bad location " + name + ": unknown time zone " + name);
            }
            text = space < 0 ? "" : text.substring(space).trim();
        }
        if (text.startsWith("@")) {
            return descriptor(text, zone);
        }
        String[] fields = text.split("\\s+");
        if (fields.length != 5) {
            throw new InvalidScheduleException("expected exactly 5 fields, found " + fields.length + ": ["
                    + String.join(" ", fields) + "]");
        }
        return new Fields(Field.MINUTE.parse(fields[0]), Field.HOUR.parse(fields[1]), Field.DAY_OF_MONTH.parse(fields[2]),
                Field.MONTH.parse(fields[3]), Field.DAY_OF_WEEK.parse(fields[4]), zone);
    }

    private static CronSchedule descriptor(String text, ZoneId zone) throws InvalidScheduleException {
        String five = switch (text) {
            case "@yearly", "@annually" -> "0 0 1 1 *";
            case "@monthly" -> "0 0 1 * *";
            case "@weekly" -> "0 0 * * 0";
            case "@daily", "@midnight" -> "0 0 * * *";
            case "@hourly" -> "0 * * * *";
            default -> null;
        };
        if (five != null) {
            return parse(five, zone);
        }
        if (text.startsWith("@every ")) {
            String duration = text.substring("@every ".length()).trim();
            Duration every = GoDuration.parse(duration);
            if (every == null) {
                throw new InvalidScheduleException("failed to parse duration " + text + ": time: invalid duration \""
                        + duration + "\"");
            }
            return new Every(every);
        }
        throw new InvalidScheduleException("unrecognized descriptor: " + text);
    }

    /** "@every": a fixed delay after the previous activation, at least a second, whole seconds only. */
    record Every(Duration delay) implements CronSchedule {
        public Every {
            delay = delay.truncatedTo(ChronoUnit.SECONDS);
            if (delay.compareTo(Duration.ofSeconds(1)) < 0) {
                delay = Duration.ofSeconds(1);
            }
        }

        @Override
        public Instant next(Instant after) {
            return after.truncatedTo(ChronoUnit.SECONDS).plus(delay);
        }
    }

    /** The five-field form: one bit per allowed value, plus {@link Field#STAR} when the field began with '*' or '?'. */
    record Fields(long minutes, long hours, long daysOfMonth, long months, long daysOfWeek, ZoneId zone)
            implements CronSchedule {

        private static final int YEARS_TO_SEARCH = 5;

        /**
         * Walks forward field by field from the largest, as robfig's SpecSchedule.Next does: days and months move on
         * the local calendar, hours and minutes on the instant timeline, so a time skipped by a DST jump never
         * fires and a repeated hour fires twice.
         */
        @Override
        public Instant next(Instant after) {
            ZonedDateTime t = after.plusSeconds(1).truncatedTo(ChronoUnit.SECONDS).atZone(zone);
            boolean added = false;
            int yearLimit = t.getYear() + YEARS_TO_SEARCH;
            wrap:
            while (true) {
                if (t.getYear() > yearLimit) {
                    return null;
                }
                while (!has(months, t.getMonthValue())) {
                    if (!added) {
                        added = true;
                        t = ZonedDateTime.of(t.getYear(), t.getMonthValue(), 1, 0, 0, 0, 0, zone);
                    }
                    t = t.plusMonths(1);
                    if (t.getMonthValue() == 1) {
                        continue wrap;
                    }
                }
                while (!dayMatches(t)) {
                    if (!added) {
                        added = true;
                        t = t.toLocalDate().atStartOfDay(zone);
                    }
                    t = t.plusDays(1);
                    if (t.getHour() != 0) { // DST moved midnight: back to the day's start
                        t = t.getHour() > 12 ? t.plusHours(24 - t.getHour()) : t.minusHours(t.getHour());
                    }
                    if (t.getDayOfMonth() == 1) {
                        continue wrap;
                    }
                }
                while (!has(hours, t.getHour())) {
                    if (!added) {
                        added = true;
                        t = t.truncatedTo(ChronoUnit.HOURS);
                    }
                    t = t.plusHours(1);
                    if (t.getHour() == 0) {
                        continue wrap;
                    }
                }
                while (!has(minutes, t.getMinute())) {
                    if (!added) {
                        added = true;
                        t = t.truncatedTo(ChronoUnit.MINUTES);
                    }
                    t = t.plusMinutes(1);
                    if (t.getMinute() == 0) {
                        continue wrap;
                    }
                }
                while (t.getSecond() != 0) { // standard schedules fire at second 0
                    if (!added) {
                        added = true;
                        t = t.truncatedTo(ChronoUnit.SECONDS);
                    }
                    t = t.plusSeconds(1);
                    if (t.getSecond() == 0) {
                        continue wrap;
                    }
                }
                return t.toInstant();
            }
        }

        /** Both day fields restricted: either may match; otherwise both must (one of them being '*'). */
        private boolean dayMatches(ZonedDateTime t) {
            boolean dom = has(daysOfMonth, t.getDayOfMonth());
            boolean dow = has(daysOfWeek, t.getDayOfWeek().getValue() % 7);
            if ((daysOfMonth & Field.STAR) != 0 || (daysOfWeek & Field.STAR) != 0) {
                return dom && dow;
            }
            return dom || dow;
        }

        private static boolean has(long bits, int value) {
            return (bits & (1L << value)) != 0;
        }
    }

    /** One field's bounds and names, and robfig's grammar for it. */
    enum Field {
        MINUTE(0, 59, Map.of()),
        HOUR(0, 23, Map.of()),
        DAY_OF_MONTH(1, 31, Map.of()),
        MONTH(1, 12, names(List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                "dec"), 1)),
        DAY_OF_WEEK(0, 6, names(List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat"), 0));

        static final long STAR = 1L << 63;

        private final int min;
        private final int max;
        private final Map<String, Integer> names;

        Field(int min, int max, Map<String, Integer> names) {
            this.min = min;
            this.max = max;
            this.names = names;
        }

        private static Map<String, Integer> names(List<String> names, int first) {
            Map<String, Integer> map = new java.util.HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                map.put(names.get(i), first + i);
            }
            return Map.copyOf(map);
        }

        long parse(String field) throws InvalidScheduleException {
            long bits = 0;
            for (String range : field.split(",", -1)) {
                bits |= range(range);
            }
            return bits;
        }

        private long range(String expr) throws InvalidScheduleException {
            String[] rangeAndStep = expr.split("/", -1);
            String[] lowAndHigh = rangeAndStep[0].split("-", -1);
            int start;
            int end;
            long extra = 0;
            if (lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?")) {
                start = min;
                end = max;
                extra = STAR;
            } else {
                start = intOrName(lowAndHigh[0]);
                end = switch (lowAndHigh.length) {
                    case 1 -> start;
                    case 2 -> intOrName(lowAndHigh[1]);
                    default -> throw new InvalidScheduleException("too many hyphens: " + expr);
                };
            }
            int step;
            switch (rangeAndStep.length) {
                case 1 -> step = 1;
                case 2 -> {
                    step = number(rangeAndStep[1]);
                    if (lowAndHigh.length == 1) { // "N/step" means "N-max/step"
                        end = max;
                    }
                    if (step > 1) {
                        extra = 0;
                    }
                }
                default -> throw new InvalidScheduleException("too many slashes: " + expr);
            }
            if (start < min) {
                throw new InvalidScheduleException("beginning of range (" + start + ") below minimum (" + min + "): "
                        + expr);
            }
            if (end > max) {
                throw new InvalidScheduleException("end of range (" + end + ") above maximum (" + max + "): " + expr);
            }
            if (start > end) {
                throw new InvalidScheduleException("beginning of range (" + start + ") beyond end of range (" + end
                        + "): " + expr);
            }
            if (step == 0) {
                throw new InvalidScheduleException("step of range should be a positive number: " + expr);
            }
            long bits = 0;
            for (int value = start; value <= end; value += step) {
                bits |= 1L << value;
            }
            return bits | extra;
        }

        private int intOrName(String text) throws InvalidScheduleException {
            Integer named = names.get(text.toLowerCase(Locale.ROOT));
            return named != null ? named : number(text);
        }

        private static int number(String text) throws InvalidScheduleException {
            int value;
            try {
                value = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new InvalidScheduleException("failed to parse int from " + text + ": strconv.Atoi: parsing \""
                        + text + "\": invalid syntax");
            }
            if (value < 0) {
                throw new InvalidScheduleException("negative number (" + value + ") not allowed: " + text);
            }
            return value;
        }
    }

    /** Go's time.ParseDuration, for "@every": a sequence of decimal numbers with units ns, us, µs, ms, s, m, h. */
    final class GoDuration {
        private static final java.util.regex.Pattern PART =
                java.util.regex.Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
        private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L,
                "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

        private GoDuration() {
        }

        /** The duration, or null if the text is not one. */
        static Duration parse(String text) {
            if (text.equals("0")) {
                return Duration.ZERO;
            }
            var matcher = PART.matcher(text);
            int at = 0;
            double nanos = 0;
            while (at < text.length() && matcher.find(at) && matcher.start() == at) {
                nanos += Double.parseDouble(matcher.group(1)) * NANOS.get(matcher.group(2));
                at = matcher.end();
            }
            return at == 0 || at != text.length() ? null : Duration.ofNanos((long) nanos);
        }
    }

    /** The zone of a CronJob's spec.timeZone (UTC when unset); null when the name is not an IANA zone. */
    static ZoneId zone(String timeZone) {
        if (timeZone == null) {
            return ZoneOffset.UTC;
        }
        if (timeZone.equals("UTC") || ZoneId.getAvailableZoneIds().contains(timeZone)) {
            return ZoneId.of(timeZone);
        }
        return null;
    }
}

package dev.sluice.controller.schedule;

import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A five-field cron expression as Kubernetes CronJobs and Vixie cron read it: minute, hour,
 * day-of-month, month, day-of-week; each field {@code *}, a number or name, a range {@code a-b}, a
 * step {@code * /n} or {@code a-b/n}, or a comma list of those; {@code ?} means {@code *}. When
 * both day fields are restricted, a day matches either of them (cron's classic rule).
 *
 * <p>The scheduler asks {@link #next(ZonedDateTime)} in the pipeline's time zone, so daylight
 * saving shifts behave as in cron: a local time that does not exist is skipped.
 */
public final class CronExpression {
    private static final Map<String, Integer> MONTHS =
            Map.ofEntries(
                    Map.entry("JAN", 1),
                    Map.entry("FEB", 2),
                    Map.entry("MAR", 3),
                    Map.entry("APR", 4),
                    Map.entry("MAY", 5),
                    Map.entry("JUN", 6),
                    Map.entry("JUL", 7),
                    Map.entry("AUG", 8),
                    Map.entry("SEP", 9),
                    Map.entry("OCT", 10),
                    Map.entry("NOV", 11),
                    Map.entry("DEC", 12));
    private static final Map<String, Integer> DAYS =
            Map.of("SUN", 0, "MON", 1, "TUE", 2, "WED", 3, "THU", 4, "FRI", 5, "SAT", 6);

    private static final String[] NAMES = {
        "minute", "hour", "day-of-month", "month", "day-of-week"
    };

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private CronExpression(String text, String[] f) {
        this.text = text;
        this.minutes = field(f[0], 0, 0, 59, Map.of());
        this.hours = field(f[1], 1, 0, 23, Map.of());
        this.daysOfMonth = field(f[2], 2, 1, 31, Map.of());
        this.months = field(f[3], 3, 1, 12, MONTHS);
        BitSet dow = field(f[4], 4, 0, 7, DAYS);
        if (dow.get(7)) {
            dow.set(0); // 7 is Sunday too
        }
        this.daysOfWeek = dow;
        this.anyDayOfMonth = isAny(f[2]);
        this.anyDayOfWeek = isAny(f[4]);
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the field and what is allowed
     */
    public static CronExpression parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] fields = text.trim().split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException(
                    "expected five fields (minute hour day-of-month month day-of-week), got "
                            + fields.length);
        }
        return new CronExpression(String.join(" ", fields), fields);
    }

    /** The first time strictly after {@code after} (to the minute) that the expression matches. */
    public ZonedDateTime next(ZonedDateTime after) {
        ZonedDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        // Every matching time is within a few years (Feb 29 on a given weekday is the worst case).
        ZonedDateTime limit = t.plusYears(8);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
                continue;
            }
            if (!dayMatches(t)) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
                continue;
            }
            if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
                continue;
            }
            if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
                continue;
            }
            return t;
        }
        throw new IllegalStateException("cron expression '" + text + "' never matches");
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        int dowValue = t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue();
        boolean dow = daysOfWeek.get(dowValue);
        if (anyDayOfMonth && anyDayOfWeek) {
            return true;
        }
        if (anyDayOfMonth) {
            return dow;
        }
        if (anyDayOfWeek) {
            return dom;
        }
        return dom || dow;
    }

    private static boolean isAny(String field) {
        return field.equals("*") || field.equals("?");
    }

    private static BitSet field(
            String field, int index, int min, int max, Map<String, Integer> names) {
        BitSet bits = new BitSet(max + 1);
        for (String part : field.split(",", -1)) {
            if (part.isEmpty()) {
                throw error(index, field, "has an empty list element");
            }
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1), index, field, Map.of());
                if (step < 1) {
                    throw error(index, field, "has a step below 1");
                }
            }
            int from;
            int to;
            if (range.equals("*") || range.equals("?")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", -1);
                if (ends.length != 2) {
                    throw error(index, field, "has a malformed range '" + range + "'");
                }
                from = number(ends[0], index, field, names);
                to = number(ends[1], index, field, names);
            } else {
                from = number(range, index, field, names);
                to = slash >= 0 ? max : from;
            }
            if (from < min || to > max || from > to) {
                throw error(
                        index,
                        field,
                        "is out of range: allowed " + min + "-" + max + ", got '" + range + "'");
            }
            for (int v = from; v <= to; v += step) {
                bits.set(v);
            }
        }
        return bits;
    }

    private static int number(String s, int index, String field, Map<String, Integer> names) {
        Integer named = names.get(s.toUpperCase(Locale.ROOT));
        if (named != null) {
            return named;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw error(
                    index,
                    field,
                    "has '"
                            + s
                            + "', which is not a number"
                            + (names.isEmpty() ? "" : " or a name such as " + example(index)));
        }
    }

    private static String example(int index) {
        return index == 3 ? "JAN" : "MON";
    }

    private static IllegalArgumentException error(int index, String field, String what) {
        return new IllegalArgumentException(
                "the " + NAMES[index] + " field '" + field + "' " + what);
    }

    @Override
    public String toString() {
        return text;
    }
}

package dev.sluice.controller.definition;

import dev.sluice.controller.validation.PipelineValidationException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * When a batch pipeline runs by itself: a five-field cron expression, as in a Kubernetes CronJob,
 * read in a time zone. Only the shape of the expression is checked here (five fields of cron
 * characters); the scheduler interprets it.
 */
public final class Schedule {
    /** The time zone used when none is given. */
    public static final String DEFAULT_TIMEZONE = "UTC";

    private static final Pattern FIELD = Pattern.compile("[0-9A-Za-z*/,?-]+");
    private static final Pattern BAD_CHAR = Pattern.compile("[^0-9A-Za-z*/,?-]");
    static final String CRON_RULE =
            "a five-field cron expression (minute hour day-of-month month day-of-week)"
                    + " such as \"*/5 * * * *\"";

    private final String cron;
    private final String timezone;

    private Schedule(String cron, String timezone) {
        this.cron = cron;
        this.timezone = timezone;
    }

    /** A schedule in {@value #DEFAULT_TIMEZONE}. */
    public static Schedule of(String cron) {
        return of(cron, DEFAULT_TIMEZONE);
    }

    /**
     * @throws PipelineValidationException at {@code /schedule/cron} or {@code /schedule/timezone}
     */
    public static Schedule of(String cron, String timezone) {
        Objects.requireNonNull(cron, "cron");
        Objects.requireNonNull(timezone, "timezone");
        String trimmed = cron.trim();
        String[] fields = trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
        if (fields.length != 5) {
            throw PipelineValidationException.at(
                    "/schedule/cron",
                    "expected "
                            + CRON_RULE
                            + ", got "
                            + fields.length
                            + (fields.length == 1 ? " field" : " fields")
                            + " in "
                            + Pointers.quote(cron));
        }
        for (int i = 0; i < fields.length; i++) {
            if (!FIELD.matcher(fields[i]).matches()) {
                var m = BAD_CHAR.matcher(fields[i]);
                m.find();
                throw PipelineValidationException.at(
                        "/schedule/cron",
                        "field "
                                + (i + 1)
                                + " "
                                + Pointers.quote(fields[i])
                                + " contains '"
                                + m.group()
                                + "'; cron fields may contain only digits, names such as MON"
                                + " or JAN, and * / , - ?");
            }
        }
        try {
            dev.sluice.controller.schedule.CronExpression.parse(trimmed);
        } catch (IllegalArgumentException e) {
            throw PipelineValidationException.at(
                    "/schedule/cron", e.getMessage() + "; expected " + CRON_RULE);
        }
        try {
            ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw PipelineValidationException.at(
                    "/schedule/timezone",
                    "unknown time zone "
                            + Pointers.quote(timezone)
                            + "; expected an IANA time zone id such as UTC or Europe/Berlin");
        }
        return new Schedule(String.join(" ", fields), timezone);
    }

    /** The cron expression, its fields separated by single spaces. */
    public String cron() {
        return cron;
    }

    /** The time zone id as written, e.g. {@code UTC} or {@code Europe/Berlin}. */
    public String timezone() {
        return timezone;
    }

    /** The time zone the cron expression is read in. */
    public ZoneId zoneId() {
        return ZoneId.of(timezone);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schedule
                && cron.equals(((Schedule) o).cron)
                && timezone.equals(((Schedule) o).timezone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cron, timezone);
    }

    @Override
    public String toString() {
        return "Schedule{cron='" + cron + "', timezone=" + timezone + "}";
    }
}

package dev.sluice.controller.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronExpressionTest {
    private static final ZoneId UTC = ZoneId.of("UTC");

    private static ZonedDateTime at(String local) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(local), UTC);
    }

    @Test
    void everyFiveMinutes() {
        CronExpression cron = CronExpression.parse("*/5 * * * *");
        assertThat(cron.next(at("2026-11-22T10:02:30"))).isEqualTo(at("2026-11-22T10:05:00"));
        assertThat(cron.next(at("2026-11-22T10:05:00"))).isEqualTo(at("2026-11-22T10:10:00"));
        assertThat(cron.next(at("2026-11-22T23:58:00"))).isEqualTo(at("2026-11-23T00:00:00"));
    }

    @Test
    void rangesListsNamesAndSteps() {
        CronExpression cron = CronExpression.parse("0 9-17/4 * * MON-FRI");
        // Sunday 22 Nov 2026 → Monday 09:00.
        assertThat(cron.next(at("2026-11-22T12:00:00"))).isEqualTo(at("2026-11-23T09:00:00"));
        assertThat(cron.next(at("2026-11-23T09:00:00"))).isEqualTo(at("2026-11-23T13:00:00"));
        assertThat(cron.next(at("2026-11-23T17:00:00"))).isEqualTo(at("2026-11-24T09:00:00"));
        assertThat(CronExpression.parse("30 2 1 JAN,jul *").next(at("2026-11-22T00:00:00")))
                .isEqualTo(at("2027-01-01T02:30:00"));
    }

    @Test
    void restrictedDayFieldsMatchEitherAndSevenIsSunday() {
        CronExpression cron = CronExpression.parse("0 0 13 * 7");
        // The 29th of Nov 2026 is a Sunday, before the 13th of December.
        assertThat(cron.next(at("2026-11-22T01:00:00"))).isEqualTo(at("2026-11-29T00:00:00"));
        assertThat(cron.next(at("2026-11-29T00:00:00"))).isEqualTo(at("2026-12-06T00:00:00"));
        assertThat(cron.next(at("2026-12-06T00:00:00"))).isEqualTo(at("2026-12-13T00:00:00"));
        assertThat(CronExpression.parse("0 0 29 2 *").next(at("2026-03-01T00:00:00")))
                .isEqualTo(at("2028-02-29T00:00:00"));
    }

    @Test
    void timeZonesAndDaylightSaving() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        CronExpression cron = CronExpression.parse("30 2 * * *");
        // 29 March 2026: 02:30 does not exist in Berlin; the next run is the day after.
        ZonedDateTime before = ZonedDateTime.of(2026, 3, 28, 3, 0, 0, 0, berlin);
        assertThat(cron.next(before).toLocalDateTime())
                .isEqualTo(java.time.LocalDateTime.parse("2026-03-30T02:30:00"));
    }

    @Test
    void badFieldsNameTheFieldAndWhatIsAllowed() {
        assertThatThrownBy(() -> CronExpression.parse("61 * * * *"))
                .hasMessage("the minute field '61' is out of range: allowed 0-59, got '61'");
        assertThatThrownBy(() -> CronExpression.parse("* * * FOO *"))
                .hasMessage(
                        "the month field 'FOO' has 'FOO', which is not a number or a name such"
                                + " as JAN");
        assertThatThrownBy(() -> CronExpression.parse("*/0 * * * *"))
                .hasMessage("the minute field '*/0' has a step below 1");
        assertThatThrownBy(() -> CronExpression.parse("* * *"))
                .hasMessage(
                        "expected five fields (minute hour day-of-month month day-of-week), got 3");
    }
}

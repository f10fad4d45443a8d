package io.smeflow.secrets.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smeflow.secrets.api.v1alpha1.MaintenanceWindow;
import io.smeflow.secrets.api.v1alpha1.Weekday;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MaintenanceWindowScheduleTest {

    // 2026-03-01, 2026-03-08, 2026-03-29, 2026-10-25 and 2026-11-01 are Sundays.

    static MaintenanceWindow window(String zone, String start, String duration, Weekday... days) {
        MaintenanceWindow w = new MaintenanceWindow();
        w.setTimeZone(zone);
        w.setStart(start);
        w.setDuration(duration);
        w.setDays(new ArrayList<>(Arrays.asList(days)));
        return w;
    }

    static MaintenanceWindowSchedule schedule(
            String zone, String start, String duration, Weekday... days) {
        return MaintenanceWindowSchedule.of(window(zone, start, duration, days));
    }

    static Instant at(String utc) {
        return Instant.parse(utc);
    }

    /** A local time that is neither in a gap nor an overlap. */
    static Instant local(String localDateTime, String zone) {
        return LocalDateTime.parse(localDateTime).atZone(ZoneId.of(zone)).toInstant();
    }

    @Test
    void alwaysIsOpenAtEveryInstantAndOpensImmediately() {
        MaintenanceWindowSchedule always = MaintenanceWindowSchedule.always();
        assertTrue(always.isAlways());
        for (Instant t :
                List.of(Instant.EPOCH, at("2026-03-29T01:30:00Z"), at("2099-12-31T23:59:59Z"))) {
            assertTrue(always.isOpen(t));
            assertEquals(t, always.nextOpening(t));
        }
        assertSame(always, MaintenanceWindowSchedule.of(null));
        assertEquals("always", always.toString());
    }

    @Test
    void plainWeeklyWindowIsHalfOpenAndNextOpeningFindsTheNextWeek() {
        MaintenanceWindowSchedule s = schedule("UTC", "02:00", "2h", Weekday.Sun);
        assertFalse(s.isOpen(at("2026-03-01T01:59:59Z")));
        assertTrue(s.isOpen(at("2026-03-01T02:00:00Z")));
        assertTrue(s.isOpen(at("2026-03-01T03:59:59.999999999Z")));
        assertFalse(s.isOpen(at("2026-03-01T04:00:00Z")));
        assertFalse(s.isOpen(at("2026-03-02T02:30:00Z")), "Monday is not listed");

        assertEquals(at("2026-03-01T02:00:00Z"), s.nextOpening(at("2026-02-28T12:00:00Z")));
        assertEquals(at("2026-03-01T02:00:00Z"), s.nextOpening(at("2026-03-01T01:59:59Z")));
        assertEquals(at("2026-03-01T03:00:00Z"), s.nextOpening(at("2026-03-01T03:00:00Z")));
        assertEquals(at("2026-03-08T02:00:00Z"), s.nextOpening(at("2026-03-01T04:00:00Z")));
        assertEquals(at("2026-03-08T02:00:00Z"), s.nextOpening(at("2026-03-02T00:00:00Z")));
    }

    @Test
    void severalDaysOpenOnEachListedDayOnly() {
        MaintenanceWindowSchedule s =
                schedule("UTC", "22:00", "1h", Weekday.Tue, Weekday.Thu, Weekday.Tue);
        assertEquals(EnumSet.of(DayOfWeek.TUESDAY, DayOfWeek.THURSDAY), s.days());
        assertTrue(s.isOpen(at("2026-03-03T22:30:00Z"))); // Tuesday
        assertFalse(s.isOpen(at("2026-03-04T22:30:00Z"))); // Wednesday
        assertTrue(s.isOpen(at("2026-03-05T22:30:00Z"))); // Thursday
        assertEquals(at("2026-03-05T22:00:00Z"), s.nextOpening(at("2026-03-03T23:00:00Z")));
        assertEquals(at("2026-03-10T22:00:00Z"), s.nextOpening(at("2026-03-05T23:00:00Z")));
    }

    @Test
    void windowSpanningMidnightIsStillOpenOnTheNextDay() {
        // Sun 23:00 for 3h in Lagos (UTC+1): open until Mon 02:00 local.
        MaintenanceWindowSchedule s = schedule("Africa/Lagos", "23:00", "3h", Weekday.Sun);
        assertFalse(s.isOpen(local("2026-03-01T22:59", "Africa/Lagos")));
        assertTrue(s.isOpen(local("2026-03-01T23:00", "Africa/Lagos")));
        assertTrue(s.isOpen(local("2026-03-02T01:00", "Africa/Lagos")));
        assertTrue(s.isOpen(local("2026-03-02T01:59", "Africa/Lagos")));
        assertFalse(s.isOpen(local("2026-03-02T02:00", "Africa/Lagos")));
        assertFalse(s.isOpen(local("2026-03-01T00:30", "Africa/Lagos")), "Sat's night isn't");
        assertEquals(
                local("2026-03-02T01:00", "Africa/Lagos"),
                s.nextOpening(local("2026-03-02T01:00", "Africa/Lagos")));
        assertEquals(
                local("2026-03-08T23:00", "Africa/Lagos"),
                s.nextOpening(local("2026-03-02T02:00", "Africa/Lagos")));
    }

    @Test
    void multiDayWindowStaysOpenThroughUnlistedDays() {
        MaintenanceWindowSchedule s = schedule("Africa/Nairobi", "18:00", "3d", Weekday.Fri);
        assertTrue(s.isOpen(local("2026-03-06T18:00", "Africa/Nairobi"))); // Friday
        assertTrue(s.isOpen(local("2026-03-08T12:00", "Africa/Nairobi"))); // Sunday
        assertTrue(s.isOpen(local("2026-03-09T17:59", "Africa/Nairobi"))); // Monday
        assertFalse(s.isOpen(local("2026-03-09T18:00", "Africa/Nairobi")));
        assertFalse(s.isOpen(local("2026-03-11T12:00", "Africa/Nairobi")));
    }

    @Test
    void sevenDayWeeklyWindowInUtcIsOpenAllTheTime() {
        MaintenanceWindowSchedule s = schedule("UTC", "00:00", "7d", Weekday.Mon);
        Instant t = at("2026-01-01T00:00:00Z");
        for (int i = 0; i < 365 * 24; i++) {
            assertTrue(s.isOpen(t.plusSeconds(i * 3600L + (i % 60) * 60L)));
        }
    }

    @Test
    void sevenDayWeeklyWindowInBerlinLeavesAnHourClosedAfterFallBack() {
        // Local Mon 00:00 plus 7 elapsed days: the week with the extra autumn hour ends one
        // wall-clock hour early (Sun 23:00 CET), an hour before the next Monday opening.
        MaintenanceWindowSchedule s = schedule("Europe/Berlin", "00:00", "7d", Weekday.Mon);
        assertTrue(s.isOpen(at("2026-10-25T21:59:59Z")));
        assertFalse(s.isOpen(at("2026-10-25T22:00:00Z")));
        assertFalse(s.isOpen(at("2026-10-25T22:59:59Z")));
        assertTrue(s.isOpen(at("2026-10-25T23:00:00Z")));
        assertEquals(at("2026-10-25T23:00:00Z"), s.nextOpening(at("2026-10-25T22:00:00Z")));
        // After spring forward the weeks overlap by an hour instead: never closed.
        assertTrue(s.isOpen(at("2026-03-29T22:30:00Z")));
    }

    @Test
    void emptyDaysMeansEveryDay() {
        MaintenanceWindowSchedule s = schedule("Africa/Nairobi", "01:00", "30m");
        assertEquals(EnumSet.allOf(DayOfWeek.class), s.days());
        for (int day = 1; day <= 7; day++) {
            String date = String.format("2026-03-%02d", day);
            assertTrue(s.isOpen(local(date + "T01:15", "Africa/Nairobi")), date);
            assertFalse(s.isOpen(local(date + "T01:45", "Africa/Nairobi")), date);
            assertFalse(s.isOpen(local(date + "T00:59", "Africa/Nairobi")), date);
        }
        // 02:00 local on 2026-03-03 is 23:00Z on 03-02; the next opening is 22:00Z on 03-03.
        assertEquals(
                at("2026-03-03T22:00:00Z"),
                s.nextOpening(local("2026-03-03T02:00", "Africa/Nairobi")));
        assertEquals("every day 01:00 for 30m (Africa/Nairobi)", s.toString());
    }

    @ParameterizedTest
    @CsvSource({
        "Africa/Lagos, 2026-03-02T08:00:00Z",
        "Africa/Nairobi, 2026-03-02T06:00:00Z",
        "Africa/Johannesburg, 2026-03-02T07:00:00Z",
        "Europe/Berlin, 2026-03-02T08:00:00Z",
        "America/New_York, 2026-03-02T14:00:00Z",
        "UTC, 2026-03-02T09:00:00Z",
    })
    void startIsReadInTheWindowsTimeZone(String zone, String expectedOpeningUtc) {
        MaintenanceWindowSchedule s = schedule(zone, "09:00", "1h", Weekday.Mon);
        Instant opening = at(expectedOpeningUtc);
        assertEquals(opening, s.nextOpening(at("2026-03-01T00:00:00Z")));
        assertFalse(s.isOpen(opening.minusNanos(1)));
        assertTrue(s.isOpen(opening));
        assertTrue(s.isOpen(opening.plus(Duration.ofMinutes(59))));
        assertFalse(s.isOpen(opening.plus(Duration.ofHours(1))));
    }

    @Test
    void berlinSpringForwardGapStartMovesLaterByTheGapLength() {
        // 2026-03-29: clocks jump from 02:00 CET to 03:00 CEST, so 02:30 does not exist.
        // Chosen rule: the opening moves later by the gap (1h): 03:30 CEST = 01:30Z.
        MaintenanceWindowSchedule s = schedule("Europe/Berlin", "02:30", "1h", Weekday.Sun);
        assertEquals(at("2026-03-29T01:30:00Z"), s.nextOpening(at("2026-03-28T12:00:00Z")));
        assertFalse(s.isOpen(at("2026-03-29T01:00:00Z")), "03:00 CEST: gap end, not yet");
        assertFalse(s.isOpen(at("2026-03-29T01:29:59Z")));
        assertTrue(s.isOpen(at("2026-03-29T01:30:00Z")));
        assertTrue(s.isOpen(at("2026-03-29T02:29:59Z")));
        assertFalse(s.isOpen(at("2026-03-29T02:30:00Z")), "lasts 1h of elapsed time");
        // Either side of the change the window opens at 02:30 local as written.
        assertEquals(at("2026-03-22T01:30:00Z"), s.nextOpening(at("2026-03-21T00:00:00Z")));
        assertEquals(at("2026-04-05T00:30:00Z"), s.nextOpening(at("2026-03-29T02:30:00Z")));
        assertEquals(1, openingsBetween(s, at("2026-03-28T20:00:00Z"), at("2026-03-29T06:00:00Z")));
        assertEquals(
                60, openMinutesBetween(s, at("2026-03-28T20:00:00Z"), at("2026-03-29T06:00:00Z")));
    }

    @Test
    void berlinFallBackOverlapOpensOnceAtTheEarlierOffset() {
        // 2026-10-25: clocks go back from 03:00 CEST to 02:00 CET, so 02:30 happens twice:
        // 00:30Z (CEST) and 01:30Z (CET). The window opens at the first only.
        MaintenanceWindowSchedule s = schedule("Europe/Berlin", "02:30", "1h", Weekday.Sun);
        assertEquals(at("2026-10-25T00:30:00Z"), s.nextOpening(at("2026-10-24T12:00:00Z")));
        assertTrue(s.isOpen(at("2026-10-25T00:30:00Z")));
        assertTrue(s.isOpen(at("2026-10-25T01:29:59Z")));
        assertFalse(s.isOpen(at("2026-10-25T01:30:00Z")), "second 02:30 does not reopen it");
        assertFalse(s.isOpen(at("2026-10-25T01:45:00Z")));
        assertEquals(at("2026-11-01T01:30:00Z"), s.nextOpening(at("2026-10-25T01:30:00Z")));
        assertEquals(1, openingsBetween(s, at("2026-10-24T20:00:00Z"), at("2026-10-25T06:00:00Z")));
        assertEquals(
                60, openMinutesBetween(s, at("2026-10-24T20:00:00Z"), at("2026-10-25T06:00:00Z")));
    }

    @Test
    void berlinWindowAcrossTheChangeLastsElapsedTimeNotWallClockTime() {
        // Sat 2026-03-28 23:00 CET = 22:00Z, 5h later is 03:00Z = 05:00 CEST on the wall clock.
        MaintenanceWindowSchedule s = schedule("Europe/Berlin", "23:00", "5h", Weekday.Sat);
        assertTrue(s.isOpen(at("2026-03-28T22:00:00Z")));
        assertTrue(s.isOpen(at("2026-03-29T02:59:59Z")));
        assertFalse(s.isOpen(at("2026-03-29T03:00:00Z")));
    }

    @Test
    void newYorkSpringForwardAndFallBack() {
        // 2026-03-08: 02:00 EST -> 03:00 EDT. A daily 02:15 window opens at 03:15 EDT = 07:15Z.
        MaintenanceWindowSchedule spring = schedule("America/New_York", "02:15", "1h");
        assertEquals(at("2026-03-07T07:15:00Z"), spring.nextOpening(at("2026-03-07T00:00:00Z")));
        assertEquals(at("2026-03-08T07:15:00Z"), spring.nextOpening(at("2026-03-07T09:00:00Z")));
        assertEquals(at("2026-03-09T06:15:00Z"), spring.nextOpening(at("2026-03-08T09:00:00Z")));
        assertFalse(spring.isOpen(at("2026-03-08T07:00:00Z")), "03:00 EDT");
        assertTrue(spring.isOpen(at("2026-03-08T08:14:59Z")));
        assertFalse(spring.isOpen(at("2026-03-08T08:15:00Z")));

        // 2026-11-01: 02:00 EDT -> 01:00 EST; 01:30 is 05:30Z (EDT) and 06:30Z (EST).
        MaintenanceWindowSchedule fall = schedule("America/New_York", "01:30", "30m");
        assertEquals(at("2026-11-01T05:30:00Z"), fall.nextOpening(at("2026-11-01T04:00:00Z")));
        assertTrue(fall.isOpen(at("2026-11-01T05:59:59Z")));
        assertFalse(fall.isOpen(at("2026-11-01T06:30:00Z")));
        assertFalse(fall.isOpen(at("2026-11-01T06:45:00Z")));
        assertEquals(at("2026-11-02T06:30:00Z"), fall.nextOpening(at("2026-11-01T06:00:00Z")));
        assertEquals(
                1, openingsBetween(fall, at("2026-11-01T03:00:00Z"), at("2026-11-01T10:00:00Z")));
    }

    @Test
    void nullTimeZoneMeansUtc() {
        MaintenanceWindowSchedule s = schedule(null, "02:00", "2h", Weekday.Sun);
        assertEquals(ZoneId.of("UTC"), s.zone());
        assertEquals(s, schedule("UTC", "02:00", "2h", Weekday.Sun));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"Africa/Lagoss", "Mars/Olympus_Mons", "Europe/berlin ", "+25:00", "UTC+"})
    void invalidTimeZoneGivesAClearMessage(String zone) {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> schedule(zone, "02:00", "2h", Weekday.Sun));
        assertEquals(
                "maintenanceWindow.timeZone \""
                        + zone
                        + "\" is not a known IANA time zone; use a name such as Africa/Lagos,"
                        + " Europe/Berlin or UTC",
                e.getMessage());
    }

    @Test
    void blankTimeZoneIsRejected() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> schedule(" ", "02:00", "2h", Weekday.Sun));
        assertTrue(e.getMessage().startsWith("maintenanceWindow.timeZone is empty"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"24:00", "2:00", "02:60", "0200", "02:00:00", "noon", " 02:00"})
    void invalidStartSaysHowToWriteIt(String start) {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> schedule("UTC", start, "2h", Weekday.Sun));
        assertTrue(e.getMessage().startsWith("maintenanceWindow.start \""), e.getMessage());
        assertTrue(e.getMessage().contains("HH:MM on a 24-hour clock, e.g. 02:00"));
    }

    @Test
    void missingStartIsRejected() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> schedule("UTC", null, "2h", Weekday.Sun));
        assertTrue(e.getMessage().startsWith("maintenanceWindow.start is required"));
    }

    @ParameterizedTest
    @CsvSource({
        "0, maintenanceWindow.duration must be longer than 0",
        "0s, maintenanceWindow.duration must be longer than 0",
        "8d, 'maintenanceWindow.duration must be at most 7d, got 8d'",
        "7d1s, 'maintenanceWindow.duration must be at most 7d, got 7d1s'",
        "2 hours, maintenanceWindow.duration \"2 hours\" is not a valid duration",
    })
    void invalidDurationIsRejected(String duration, String messageStart) {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> schedule("UTC", "02:00", duration, Weekday.Sun));
        assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
    }

    @Test
    void sevenDaysIsTheLongestAllowed() {
        assertEquals(Duration.ofDays(7), schedule("UTC", "02:00", "168h", Weekday.Sun).duration());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        MaintenanceWindow w = window("Nowhere/Land", "25:00", "0", Weekday.Sun);
        w.getDays().add(null);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> MaintenanceWindowSchedule.of(w));
        assertTrue(e.getMessage().contains("maintenanceWindow.timeZone \"Nowhere/Land\""));
        assertTrue(e.getMessage().contains("maintenanceWindow.start \"25:00\""));
        assertTrue(e.getMessage().contains("maintenanceWindow.duration must be longer than 0"));
        assertTrue(e.getMessage().contains("maintenanceWindow.days has an empty entry"));
    }

    @Test
    void programmaticFactoryValidatesDuration() {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        MaintenanceWindowSchedule.of(
                                List.of(), LocalTime.NOON, Duration.ZERO, ZoneId.of("UTC")));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        MaintenanceWindowSchedule.of(
                                List.of(), LocalTime.NOON, Duration.ofDays(8), ZoneId.of("UTC")));
    }

    @Test
    void equalSpecsGiveEqualSchedules() {
        MaintenanceWindowSchedule a = schedule("Africa/Lagos", "02:00", "2h", Weekday.Sun);
        MaintenanceWindowSchedule b = schedule("Africa/Lagos", "02:00", "120m", Weekday.Sun);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, schedule("Africa/Lagos", "02:00", "2h", Weekday.Sat));
        assertNotEquals(a, MaintenanceWindowSchedule.always());
        assertEquals("Sun 02:00 for 2h (Africa/Lagos)", a.toString());
    }

    /**
     * Sweeps 2026 in 10-minute steps for several zones (with and without DST) and checks that
     * nextOpening agrees with isOpen: it is never before its argument, the window is open there, it
     * is the same instant throughout a closed stretch, and no sampled step before it is open.
     */
    @ParameterizedTest
    @CsvSource({
        "Africa/Lagos, 02:00, 2h, Sun",
        "Africa/Johannesburg, 23:30, 3h, Fri",
        "Europe/Berlin, 02:30, 1h, Sun",
        "Europe/Berlin, 02:30, 1h, ''",
        "America/New_York, 01:30, 90m, ''",
        "America/New_York, 02:00, 26h, Sat",
    })
    void nextOpeningAgreesWithIsOpenThroughoutAYear(
            String zone, String start, String duration, String day) {
        MaintenanceWindowSchedule s =
                day.isEmpty()
                        ? schedule(zone, start, duration)
                        : schedule(zone, start, duration, Weekday.valueOf(day));
        Duration step = Duration.ofMinutes(10);
        Instant t = at("2026-01-01T00:00:00Z");
        Instant end = at("2027-01-01T00:00:00Z");
        Instant pending = null;
        Instant lastClosed = null;
        int openings = 0;
        while (t.isBefore(end)) {
            Instant next = s.nextOpening(t);
            if (s.isOpen(t)) {
                assertEquals(t, next);
                if (pending != null) {
                    assertTrue(!pending.isAfter(t) && pending.isAfter(lastClosed), t::toString);
                    assertTrue(s.isOpen(pending));
                    assertFalse(s.isOpen(pending.minusNanos(1)), "an opening is an edge");
                    openings++;
                }
                pending = null;
            } else {
                assertTrue(next.isAfter(t), t::toString);
                assertTrue(s.isOpen(next), t::toString);
                if (pending == null) {
                    pending = next;
                } else {
                    assertEquals(pending, next, t::toString);
                }
                lastClosed = t;
            }
            t = t.plus(step);
        }
        assertTrue(openings >= 51, "saw " + openings + " openings");
    }

    @Test
    void weeklyLagosWindowIsOpenExactlyTwoHoursEverySundayOf2026() {
        MaintenanceWindowSchedule s = schedule("Africa/Lagos", "02:00", "2h", Weekday.Sun);
        long openMinutes =
                openMinutesBetween(s, at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z"));
        assertEquals(52 * 120, openMinutes); // 2026 has 52 Sundays
    }

    private static int openingsBetween(MaintenanceWindowSchedule s, Instant from, Instant to) {
        int openings = 0;
        boolean wasOpen = s.isOpen(from);
        for (Instant t = from; t.isBefore(to); t = t.plus(Duration.ofMinutes(1))) {
            boolean open = s.isOpen(t);
            if (open && !wasOpen) {
                openings++;
            }
            wasOpen = open;
        }
        return openings;
    }

    private static long openMinutesBetween(MaintenanceWindowSchedule s, Instant from, Instant to) {
        long minutes = 0;
        for (Instant t = from; t.isBefore(to); t = t.plus(Duration.ofMinutes(1))) {
            if (s.isOpen(t)) {
                minutes++;
            }
        }
        return minutes;
    }
}

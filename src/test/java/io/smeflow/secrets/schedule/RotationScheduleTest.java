package io.smeflow.secrets.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smeflow.secrets.api.v1alpha1.MaintenanceWindow;
import io.smeflow.secrets.api.v1alpha1.RotationPolicySpec;
import io.smeflow.secrets.api.v1alpha1.Weekday;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RotationScheduleTest {

    private static final Instant LAST = Instant.parse("2026-01-01T00:00:00Z"); // a Thursday
    private static final Duration DAYS_30 = Duration.ofDays(30);
    private static final Duration HOUR = Duration.ofHours(1);

    /** Sun 02:00 for 2h in Lagos (UTC+1, no DST): 01:00Z to 03:00Z every Sunday. */
    private static final MaintenanceWindowSchedule SUNDAY_LAGOS =
            MaintenanceWindowScheduleTest.schedule("Africa/Lagos", "02:00", "2h", Weekday.Sun);

    private static Instant at(String utc) {
        return Instant.parse(utc);
    }

    /** A test clock the simulation moves by hand. */
    private static final class SteppingClock extends Clock {
        private Instant now;

        SteppingClock(Instant start) {
            this.now = start;
        }

        void advance(Duration step) {
            now = now.plus(step);
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void withoutAWindowTheRotationIsDueAtLastRotationPlusInterval() {
        RotationSchedule s =
                new RotationSchedule(LAST, DAYS_30, HOUR, MaintenanceWindowSchedule.always());
        Instant due = at("2026-01-31T00:00:00Z");
        assertEquals(due, s.due());
        assertEquals(due, s.nextRotation());
        assertFalse(s.isDue(due.minusNanos(1)));
        assertTrue(s.isDue(due));
        assertTrue(s.isDue(due.plus(Duration.ofDays(40))));
        assertEquals(due.plus(HOUR), s.overdueSince());
    }

    @Test
    void overdueStrictlyAfterOverdueSinceAndOverdueByCountsFromThere() {
        RotationSchedule s =
                new RotationSchedule(LAST, DAYS_30, HOUR, MaintenanceWindowSchedule.always());
        Instant since = s.overdueSince();
        assertFalse(s.isOverdue(s.nextRotation()));
        assertFalse(s.isOverdue(since));
        assertTrue(s.isOverdue(since.plusNanos(1)));
        assertEquals(Duration.ZERO, s.overdueBy(LAST));
        assertEquals(Duration.ZERO, s.overdueBy(since));
        assertEquals(Duration.ofHours(2), s.overdueBy(since.plus(Duration.ofHours(2))));
    }

    @Test
    void zeroOverdueGraceMakesItOverdueJustAfterTheNextRotation() {
        RotationSchedule s =
                new RotationSchedule(
                        LAST, DAYS_30, Duration.ZERO, MaintenanceWindowSchedule.always());
        assertEquals(s.nextRotation(), s.overdueSince());
        assertFalse(s.isOverdue(s.nextRotation()));
        assertTrue(s.isOverdue(s.nextRotation().plusNanos(1)));
    }

    @Test
    void withAWindowTheRotationWaitsForTheNextOpening() {
        RotationSchedule s = new RotationSchedule(LAST, DAYS_30, HOUR, SUNDAY_LAGOS);
        assertEquals(at("2026-01-31T00:00:00Z"), s.due()); // a Saturday
        Instant opening = at("2026-02-01T01:00:00Z");
        assertEquals(opening, s.nextRotation());
        assertFalse(s.isDue(s.due()), "due but the window is closed");
        assertFalse(s.isDue(opening.minusNanos(1)));
        assertTrue(s.isDue(opening));
        assertTrue(s.isDue(at("2026-02-01T02:59:59Z")));
        assertEquals(opening.plus(HOUR), s.overdueSince());
        assertFalse(s.isOverdue(opening.plus(HOUR)));
        assertTrue(s.isOverdue(opening.plus(HOUR).plusSeconds(1)));
    }

    @Test
    void whenTheWindowClosesUnusedTheRotationIsDueAtTheNextOpening() {
        RotationSchedule s = new RotationSchedule(LAST, DAYS_30, HOUR, SUNDAY_LAGOS);
        Instant closed = at("2026-02-01T03:00:00Z");
        assertFalse(s.isDue(closed));
        assertTrue(s.isOverdue(closed));
        assertFalse(s.isDue(at("2026-02-05T12:00:00Z")));
        assertTrue(s.isDue(at("2026-02-08T01:00:00Z")));
        assertEquals(Duration.ofDays(7), s.overdueBy(at("2026-02-08T02:00:00Z")));
    }

    @Test
    void dueInsideAnOpenWindowIsTheNextRotationItself() {
        // Last rotation on a Sunday at 01:30Z: due 35 days later, also a Sunday at 01:30Z.
        RotationSchedule s =
                new RotationSchedule(
                        at("2026-03-01T01:30:00Z"), Duration.ofDays(35), HOUR, SUNDAY_LAGOS);
        assertEquals(at("2026-04-05T01:30:00Z"), s.due());
        assertEquals(s.due(), s.nextRotation());
        assertTrue(s.isDue(s.due()));
    }

    @Test
    void nextCheckBeforeTheNextRotationIsTheNextRotation() {
        RotationSchedule s = new RotationSchedule(LAST, DAYS_30, HOUR, SUNDAY_LAGOS);
        assertEquals(s.nextRotation(), s.nextCheck(LAST));
        assertEquals(s.nextRotation(), s.nextCheck(s.due()));
        assertEquals(s.nextRotation(), s.nextCheck(s.nextRotation().minusNanos(1)));
    }

    @Test
    void nextCheckWhileDueAndNotYetOverdueIsOverdueSince() {
        RotationSchedule s = new RotationSchedule(LAST, DAYS_30, HOUR, SUNDAY_LAGOS);
        Instant now = s.nextRotation().plus(Duration.ofMinutes(10));
        assertTrue(s.isDue(now));
        assertEquals(s.overdueSince(), s.nextCheck(now));
        Instant afterThat = s.nextCheck(s.overdueSince());
        assertEquals(s.overdueSince().plusNanos(1), afterThat);
        assertTrue(s.isOverdue(afterThat));
    }

    @Test
    void nextCheckWhenOverdueAndWindowOpenIsNow() {
        RotationSchedule s = new RotationSchedule(LAST, DAYS_30, HOUR, SUNDAY_LAGOS);
        Instant now = at("2026-02-01T02:30:00Z");
        assertTrue(s.isDue(now));
        assertTrue(s.isOverdue(now));
        assertEquals(now, s.nextCheck(now));
    }

    @Test
    void nextCheckWhenDueButWindowClosedIsTheNextOpening() {
        RotationSchedule s = new RotationSchedule(LAST, DAYS_30, HOUR, SUNDAY_LAGOS);
        Instant now = at("2026-02-01T03:00:00Z");
        assertTrue(s.isOverdue(now));
        assertEquals(at("2026-02-08T01:00:00Z"), s.nextCheck(now));
    }

    @Test
    void nextCheckWhenWindowClosedBeforeOverdueIsTheEarlierOfTheTwo() {
        RotationSchedule s = new RotationSchedule(LAST, DAYS_30, Duration.ofDays(1), SUNDAY_LAGOS);
        Instant now = at("2026-02-01T03:00:00Z"); // window closed, overdue from Mon 01:00Z
        assertFalse(s.isDue(now));
        assertFalse(s.isOverdue(now));
        assertEquals(at("2026-02-02T01:00:00Z"), s.nextCheck(now));

        RotationSchedule longGrace =
                new RotationSchedule(LAST, DAYS_30, Duration.ofDays(10), SUNDAY_LAGOS);
        assertEquals(at("2026-02-08T01:00:00Z"), longGrace.nextCheck(now));
    }

    @Test
    void nextCheckIsNeverInThePastAndSkipsNoDueOrOverdueChange() {
        for (MaintenanceWindowSchedule window :
                List.of(
                        MaintenanceWindowSchedule.always(),
                        SUNDAY_LAGOS,
                        MaintenanceWindowScheduleTest.schedule(
                                "Europe/Berlin", "02:30", "1h", Weekday.Sun),
                        MaintenanceWindowScheduleTest.schedule(
                                "America/New_York", "23:00", "3h", Weekday.Sat, Weekday.Wed))) {
            for (Duration grace : List.of(Duration.ZERO, HOUR, Duration.ofDays(2))) {
                RotationSchedule s = new RotationSchedule(LAST, DAYS_30, grace, window);
                for (Instant now = LAST;
                        now.isBefore(LAST.plus(Duration.ofDays(60)));
                        now = now.plus(Duration.ofMinutes(37))) {
                    Instant next = s.nextCheck(now);
                    assertFalse(next.isBefore(now), () -> "nextCheck in the past for " + s);
                    if (next.isAfter(now)) {
                        // Nothing changes strictly between now and next, sampled.
                        boolean due = s.isDue(now);
                        boolean overdue = s.isOverdue(now);
                        Duration gap = Duration.between(now, next);
                        for (int k = 1; k < 8; k++) {
                            Instant mid = now.plus(gap.multipliedBy(k).dividedBy(8));
                            if (mid.isAfter(now) && mid.isBefore(next)) {
                                // While due the caller rotates now, so the window closing
                                // later is not an event; otherwise nothing may change.
                                if (!due) {
                                    assertFalse(s.isDue(mid), mid::toString);
                                }
                                assertEquals(overdue, s.isOverdue(mid), mid::toString);
                            }
                        }
                    } else {
                        assertTrue(s.isDue(now) && s.isOverdue(now));
                    }
                }
            }
        }
    }

    @Test
    void clockOverloadsReadTheInjectedClock() {
        RotationSchedule s = new RotationSchedule(LAST, DAYS_30, HOUR, SUNDAY_LAGOS);
        Instant instant = at("2026-02-01T02:30:00Z");
        Clock clock = Clock.fixed(instant, ZoneOffset.UTC);
        assertEquals(s.isDue(instant), s.isDue(clock));
        assertEquals(s.isOverdue(instant), s.isOverdue(clock));
        assertEquals(s.overdueBy(instant), s.overdueBy(clock));
        assertEquals(s.nextCheck(instant), s.nextCheck(clock));
        assertEquals(Duration.ofMinutes(30), s.overdueBy(clock));
    }

    @Test
    void rejectsNonPositiveIntervalNegativeGraceAndNulls() {
        MaintenanceWindowSchedule w = MaintenanceWindowSchedule.always();
        IllegalArgumentException zero =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new RotationSchedule(LAST, Duration.ZERO, HOUR, w));
        assertTrue(zero.getMessage().startsWith("interval must be longer than 0"));
        assertThrows(
                IllegalArgumentException.class,
                () -> new RotationSchedule(LAST, Duration.ofDays(-1), HOUR, w));
        IllegalArgumentException negative =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new RotationSchedule(LAST, DAYS_30, Duration.ofSeconds(-1), w));
        assertTrue(negative.getMessage().startsWith("overdueAfter must not be negative"));
        assertThrows(
                NullPointerException.class, () -> new RotationSchedule(null, DAYS_30, HOUR, w));
        assertThrows(
                NullPointerException.class, () -> new RotationSchedule(LAST, DAYS_30, HOUR, null));
    }

    @Test
    void forPolicyReadsThePolicyStrings() {
        RotationPolicySpec policy = new RotationPolicySpec();
        policy.setInterval("720h");
        policy.setOverdueAfter("30m");
        MaintenanceWindow window =
                MaintenanceWindowScheduleTest.window("Africa/Lagos", "02:00", "2h", Weekday.Sun);
        policy.setMaintenanceWindow(window);
        RotationSchedule s = RotationSchedule.forPolicy(policy, LAST);
        assertEquals(new RotationSchedule(LAST, DAYS_30, Duration.ofMinutes(30), SUNDAY_LAGOS), s);
    }

    @Test
    void forPolicyDefaultsGraceToOneHourAndNoWindowToAlways() {
        RotationPolicySpec policy = new RotationPolicySpec();
        policy.setInterval("30d");
        policy.setOverdueAfter(null);
        RotationSchedule s = RotationSchedule.forPolicy(policy, LAST);
        assertEquals(HOUR, s.overdueAfter());
        assertEquals(MaintenanceWindowSchedule.always(), s.window());
    }

    @Test
    void forPolicyNamesTheInvalidField() {
        RotationPolicySpec policy = new RotationPolicySpec();
        policy.setInterval("30 days");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> RotationSchedule.forPolicy(policy, LAST));
        assertTrue(e.getMessage().startsWith("interval \"30 days\" is not a valid duration"));

        policy.setInterval(null);
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> RotationSchedule.forPolicy(policy, LAST))
                        .getMessage()
                        .startsWith("interval is empty"));

        policy.setInterval("0");
        assertThrows(
                IllegalArgumentException.class, () -> RotationSchedule.forPolicy(policy, LAST));
    }

    /**
     * Runs 180 days of reconciles, one an hour, with a 30d interval and a weekly Sunday 02:00 (2h)
     * Africa/Lagos window, rotating whenever the schedule says so.
     */
    @Test
    void simulatedHalfYearRotatesOnlyInsideTheWindowNeverEarlyAndNeverOverdue() {
        SteppingClock clock = new SteppingClock(LAST);
        List<Instant> rotations = simulateHourly(clock, LAST, 180 * 24);

        assertEquals(5, rotations.size(), rotations::toString);
        Instant previous = LAST;
        for (Instant rotation : rotations) {
            assertTrue(SUNDAY_LAGOS.isOpen(rotation), () -> rotation + " outside the window");
            assertFalse(
                    Duration.between(previous, rotation).compareTo(DAYS_30) < 0,
                    rotation + " less than 30d after " + previous);
            assertTrue(
                    Duration.between(previous, rotation).compareTo(DAYS_30.plus(Duration.ofDays(7)))
                            <= 0,
                    () -> rotation + " more than a week late");
            previous = rotation;
        }
        assertEquals(
                List.of(
                        at("2026-02-01T01:00:00Z"),
                        at("2026-03-08T01:00:00Z"),
                        at("2026-04-12T01:00:00Z"),
                        at("2026-05-17T01:00:00Z"),
                        at("2026-06-21T01:00:00Z")),
                rotations);
    }

    private static List<Instant> simulateHourly(SteppingClock clock, Instant last, int hours) {
        List<Instant> rotations = new ArrayList<>();
        RotationSchedule s = new RotationSchedule(last, DAYS_30, HOUR, SUNDAY_LAGOS);
        for (int hour = 0; hour < hours; hour++) {
            Instant now = clock.instant();
            assertFalse(s.isOverdue(clock), () -> "overdue at " + now);
            assertFalse(s.nextCheck(clock).isBefore(now));
            if (s.isDue(clock)) {
                rotations.add(now);
                s = new RotationSchedule(now, s.interval(), s.overdueAfter(), s.window());
            }
            clock.advance(HOUR);
        }
        return rotations;
    }

    @Test
    void reconcilingOnlyAtNextCheckRotatesAtTheSameInstantsAsHourlyPolling() {
        List<Instant> hourly = simulateHourly(new SteppingClock(LAST), LAST, 180 * 24);

        SteppingClock clock = new SteppingClock(LAST);
        Instant end = LAST.plus(Duration.ofDays(180));
        RotationSchedule s = new RotationSchedule(LAST, DAYS_30, HOUR, SUNDAY_LAGOS);
        List<Instant> rotations = new ArrayList<>();
        int reconciles = 0;
        while (clock.instant().isBefore(end) && reconciles < 1_000) {
            reconciles++;
            if (s.isDue(clock)) {
                rotations.add(clock.instant());
                s = new RotationSchedule(clock.instant(), DAYS_30, HOUR, SUNDAY_LAGOS);
            }
            Instant next = s.nextCheck(clock);
            assertTrue(next.isAfter(clock.instant()), "would reconcile in a loop");
            clock.set(next);
        }
        assertEquals(hourly, rotations);
        assertTrue(reconciles < 20, "took " + reconciles + " reconciles");
    }

    @Test
    void operatorDownThroughAWindowReportsOverdueThenRotatesAtTheNextOpening() {
        SteppingClock clock = new SteppingClock(LAST);
        RotationSchedule s = new RotationSchedule(LAST, DAYS_30, HOUR, SUNDAY_LAGOS);
        // Down from Saturday until Sunday 05:00Z: the 01:00Z-03:00Z window is missed.
        clock.set(at("2026-02-01T05:00:00Z"));
        assertTrue(s.isOverdue(clock));
        assertFalse(s.isDue(clock));
        assertEquals(Duration.ofHours(3), s.overdueBy(clock));
        Instant next = s.nextCheck(clock);
        assertEquals(at("2026-02-08T01:00:00Z"), next);
        clock.set(next);
        assertTrue(s.isDue(clock));
        assertTrue(s.isOverdue(clock));
    }
}

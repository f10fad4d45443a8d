package io.smeflow.secrets.schedule;

import io.smeflow.secrets.api.v1alpha1.ApiPatterns;
import io.smeflow.secrets.api.v1alpha1.MaintenanceWindow;
import io.smeflow.secrets.api.v1alpha1.Weekday;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * When scheduled rotations may run: a weekly window in a time zone, or {@link #always()}.
 *
 * <p>A window opens on each listed day (every day if none is listed) at {@code start} local time in
 * the zone and then stays open for {@code duration} of real, elapsed time; it is half-open, {@code
 * [opening, opening + duration)}. A window that opened on an earlier day and is still running
 * counts as open (Sun 23:00 for 3h is open on Mon at 01:00).
 *
 * <p>Daylight-saving rules, those of {@link ZonedDateTime#of(LocalDate, LocalTime, ZoneId)}:
 *
 * <ul>
 *   <li>If {@code start} falls into a spring-forward gap, the opening is moved later by the length
 *       of the gap: 02:30 on a day when clocks jump from 02:00 to 03:00 opens at 03:30 (the instant
 *       that 02:30 would have been under the old offset).
 *   <li>If {@code start} falls into a fall-back overlap, the earlier of the two instants (the
 *       summer-time offset) is the opening, so the window opens once that day, not twice.
 * </ul>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class MaintenanceWindowSchedule {

    /** The longest window allowed. */
    public static final Duration MAX_DURATION = Duration.ofDays(7);

    private static final Pattern TIME_OF_DAY = Pattern.compile(ApiPatterns.TIME_OF_DAY);
    private static final MaintenanceWindowSchedule ALWAYS =
            new MaintenanceWindowSchedule(null, null, null, null);

    /** How many local days back a still-running window may have opened (7d plus DST slack). */
    private static final int LOOK_BACK_DAYS = 9;

    /** How many local days ahead the next opening is searched for (a week plus DST slack). */
    private static final int LOOK_AHEAD_DAYS = 9;

    private final Set<DayOfWeek> days;
    private final LocalTime start;
    private final Duration duration;
    private final ZoneId zone;

    private MaintenanceWindowSchedule(
            Set<DayOfWeek> days, LocalTime start, Duration duration, ZoneId zone) {
        this.days = days;
        this.start = start;
        this.duration = duration;
        this.zone = zone;
    }

    /** No window: scheduled rotations may run at any time. */
    public static MaintenanceWindowSchedule always() {
        return ALWAYS;
    }

    /**
     * The schedule of {@code window}; {@link #always()} if {@code window} is null. A null time zone
     * means UTC, as the API's default.
     *
     * @throws IllegalArgumentException naming every field that is wrong and how to fix it
     */
    public static MaintenanceWindowSchedule of(MaintenanceWindow window) {
        if (window == null) {
            return ALWAYS;
        }
        List<String> problems = new ArrayList<>();

        ZoneId zone = null;
        String zoneText = window.getTimeZone();
        if (zoneText == null) {
            zone = ZoneId.of("UTC");
        } else if (zoneText.isBlank()) {
            problems.add(
                    "maintenanceWindow.timeZone is empty; use an IANA time zone such as"
                            + " Africa/Lagos or UTC");
        } else {
            try {
                zone = ZoneId.of(zoneText);
            } catch (DateTimeException e) {
                problems.add(
                        "maintenanceWindow.timeZone \""
                                + Durations.echo(zoneText)
                                + "\" is not a known IANA time zone; use a name such as"
                                + " Africa/Lagos, Europe/Berlin or UTC");
            }
        }

        LocalTime start = null;
        String startText = window.getStart();
        if (startText == null || startText.isBlank()) {
            problems.add(
                    "maintenanceWindow.start is required; use HH:MM on a 24-hour clock,"
                            + " e.g. 02:00");
        } else if (!TIME_OF_DAY.matcher(startText).matches()) {
            problems.add(
                    "maintenanceWindow.start \""
                            + Durations.echo(startText)
                            + "\" is not a time of day; use HH:MM on a 24-hour clock, e.g. 02:00");
        } else {
            start = LocalTime.parse(startText);
        }

        Duration duration = null;
        try {
            duration = Durations.parse("maintenanceWindow.duration", window.getDuration());
            String problem = durationProblem(duration);
            if (problem != null) {
                problems.add(problem);
                duration = null;
            }
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }

        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        List<Weekday> listed = window.getDays() == null ? List.of() : window.getDays();
        for (Weekday day : listed) {
            if (day == null) {
                problems.add(
                        "maintenanceWindow.days has an empty entry; list days as Mon..Sun,"
                                + " or leave it empty for every day");
            } else {
                days.add(day.toDayOfWeek());
            }
        }

        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return of(days, start, duration, zone);
    }

    /**
     * A window opening on {@code days} (empty: every day) at {@code start} local time in {@code
     * zone}, open for {@code duration}.
     *
     * @throws IllegalArgumentException if {@code duration} is not longer than 0 or longer than
     *     {@link #MAX_DURATION}
     */
    public static MaintenanceWindowSchedule of(
            Collection<DayOfWeek> days, LocalTime start, Duration duration, ZoneId zone) {
        Objects.requireNonNull(days, "days");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(zone, "zone");
        String problem = durationProblem(duration);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        Set<DayOfWeek> set = days.isEmpty() ? EnumSet.allOf(DayOfWeek.class) : EnumSet.copyOf(days);
        return new MaintenanceWindowSchedule(
                Collections.unmodifiableSet(set), start, duration, zone);
    }

    private static String durationProblem(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return "maintenanceWindow.duration must be longer than 0, e.g. 2h";
        }
        if (duration.compareTo(MAX_DURATION) > 0) {
            return "maintenanceWindow.duration must be at most 7d, got "
                    + Durations.format(duration);
        }
        return null;
    }

    /** Whether this is {@link #always()}. */
    public boolean isAlways() {
        return zone == null;
    }

    /** Whether a scheduled rotation may run at {@code t}. */
    public boolean isOpen(Instant t) {
        Objects.requireNonNull(t, "t");
        if (isAlways()) {
            return true;
        }
        LocalDate today = LocalDate.ofInstant(t, zone);
        // Local dates are not monotonic across a fall-back at midnight, hence one day ahead too.
        for (int back = -1; back <= LOOK_BACK_DAYS; back++) {
            LocalDate date = today.minusDays(back);
            if (days.contains(date.getDayOfWeek())) {
                Instant opening = openingOn(date);
                if (!t.isBefore(opening) && t.isBefore(opening.plus(duration))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code from} if the window is open then, otherwise the next instant it opens. */
    public Instant nextOpening(Instant from) {
        Objects.requireNonNull(from, "from");
        if (isOpen(from)) {
            return from;
        }
        LocalDate today = LocalDate.ofInstant(from, zone);
        Instant next = null;
        for (int ahead = -1; ahead <= LOOK_AHEAD_DAYS; ahead++) {
            LocalDate date = today.plusDays(ahead);
            if (days.contains(date.getDayOfWeek())) {
                Instant opening = openingOn(date);
                if (opening.isAfter(from) && (next == null || opening.isBefore(next))) {
                    next = opening;
                }
            }
        }
        if (next == null) {
            throw new IllegalStateException("no window opening within a week of " + from);
        }
        return next;
    }

    /** The instant the window listed for {@code date} opens; see the class notes on DST. */
    private Instant openingOn(LocalDate date) {
        return ZonedDateTime.of(date, start, zone).toInstant();
    }

    /** The days the window opens on, all seven if none were listed; empty for always(). */
    public Set<DayOfWeek> days() {
        return isAlways() ? Set.of() : days;
    }

    /** Local opening time, or null for always(). */
    public LocalTime start() {
        return start;
    }

    /** How long each window stays open, or null for always(). */
    public Duration duration() {
        return duration;
    }

    /** The zone {@link #start()} is read in, or null for always(). */
    public ZoneId zone() {
        return zone;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MaintenanceWindowSchedule)) {
            return false;
        }
        MaintenanceWindowSchedule other = (MaintenanceWindowSchedule) o;
        return Objects.equals(days, other.days)
                && Objects.equals(start, other.start)
                && Objects.equals(duration, other.duration)
                && Objects.equals(zone, other.zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(days, start, duration, zone);
    }

    /** E.g. {@code "Sun 02:00 for 2h (Africa/Lagos)"}, {@code "always"}. */
    @Override
    public String toString() {
        if (isAlways()) {
            return "always";
        }
        String dayText =
                days.size() == 7
                        ? "every day"
                        : days.stream()
                                .map(d -> d.getDisplayName(TextStyle.SHORT, Locale.ROOT))
                                .collect(Collectors.joining(","));
        return dayText + " " + start + " for " + Durations.format(duration) + " (" + zone + ")";
    }
}

package io.smeflow.secrets.schedule;

import io.smeflow.secrets.api.v1alpha1.RotationPolicySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a secret last rotated and when it must rotate next, under a policy's interval, overdue grace
 * and maintenance window. Pure arithmetic: all time comes from the arguments (an {@link Instant} or
 * a {@link Clock}), never from the system clock.
 *
 * <p>Timeline: {@link #due()} = last rotation + interval; {@link #nextRotation()} = the first
 * window opening at or after that; {@link #overdueSince()} = next rotation + overdue grace. A
 * rotation {@linkplain #isDue(Instant) is due} once the next rotation has arrived and only while
 * the window is open; if the window has closed again unused, it is due at the next opening. It is
 * {@linkplain #isOverdue(Instant) overdue} strictly after {@link #overdueSince()}.
 *
 * @param lastRotation when the value last changed (or was first written)
 * @param interval rotation cycle, longer than 0
 * @param overdueAfter grace after {@link #nextRotation()} before the rotation counts as overdue, 0
 *     or longer
 * @param window when scheduled rotations may run; {@link MaintenanceWindowSchedule#always()} for no
 *     window
 */
public record RotationSchedule(
        Instant lastRotation,
        Duration interval,
        Duration overdueAfter,
        MaintenanceWindowSchedule window) {

    /** The API's default overdue grace. */
    public static final Duration DEFAULT_OVERDUE_AFTER = Duration.ofHours(1);

    /**
     * @throws IllegalArgumentException if {@code interval} is not longer than 0 or {@code
     *     overdueAfter} is negative
     */
    public RotationSchedule {
        Objects.requireNonNull(lastRotation, "lastRotation");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(overdueAfter, "overdueAfter");
        Objects.requireNonNull(window, "window");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be longer than 0, e.g. 30d");
        }
        if (overdueAfter.isNegative()) {
            throw new IllegalArgumentException("overdueAfter must not be negative, e.g. 1h or 0");
        }
    }

    /**
     * The schedule of {@code policy} for a value last rotated at {@code lastRotation}. A null
     * {@code overdueAfter} means {@link #DEFAULT_OVERDUE_AFTER}; a null maintenance window means
     * {@link MaintenanceWindowSchedule#always()}. Does not check the category's ceiling.
     *
     * @throws IllegalArgumentException if the interval is missing or any field is invalid; the
     *     message names the field and how to fix it
     */
    public static RotationSchedule forPolicy(RotationPolicySpec policy, Instant lastRotation) {
        Objects.requireNonNull(policy, "policy");
        Duration interval = Durations.parse("interval", policy.getInterval());
        Duration overdueAfter =
                policy.getOverdueAfter() == null
                        ? DEFAULT_OVERDUE_AFTER
                        : Durations.parse("overdueAfter", policy.getOverdueAfter());
        MaintenanceWindowSchedule window =
                MaintenanceWindowSchedule.of(policy.getMaintenanceWindow());
        return new RotationSchedule(lastRotation, interval, overdueAfter, window);
    }

    /** {@code lastRotation + interval}, ignoring the window. */
    public Instant due() {
        return lastRotation.plus(interval);
    }

    /** The earliest instant a scheduled rotation may run: the first window opening at/after due. */
    public Instant nextRotation() {
        return window.nextOpening(due());
    }

    /** Whether a scheduled rotation should run at {@code now}. */
    public boolean isDue(Instant now) {
        return !now.isBefore(nextRotation()) && window.isOpen(now);
    }

    /** {@link #isDue(Instant)} at {@code clock.instant()}. */
    public boolean isDue(Clock clock) {
        return isDue(clock.instant());
    }

    /** {@code nextRotation() + overdueAfter}; after this instant the rotation is overdue. */
    public Instant overdueSince() {
        return nextRotation().plus(overdueAfter);
    }

    /** Whether {@code now} is strictly after {@link #overdueSince()}. */
    public boolean isOverdue(Instant now) {
        return now.isAfter(overdueSince());
    }

    /** {@link #isOverdue(Instant)} at {@code clock.instant()}. */
    public boolean isOverdue(Clock clock) {
        return isOverdue(clock.instant());
    }

    /** How long past {@link #overdueSince()} {@code now} is; zero if not overdue. */
    public Duration overdueBy(Instant now) {
        Instant since = overdueSince();
        return now.isAfter(since) ? Duration.between(since, now) : Duration.ZERO;
    }

    /** {@link #overdueBy(Instant)} at {@code clock.instant()}. */
    public Duration overdueBy(Clock clock) {
        return overdueBy(clock.instant());
    }

    /**
     * The next instant the caller should look again, never before {@code now}:
     *
     * <ul>
     *   <li>before {@link #nextRotation()}: {@link #nextRotation()};
     *   <li>otherwise the earliest of {@link #overdueSince()} (while not yet overdue; at exactly
     *       that instant, the nanosecond after it, when it turns overdue) and, if the window is
     *       closed at {@code now}, its next opening;
     *   <li>{@code now} itself if neither applies: the rotation is overdue and the window is open,
     *       so the caller should rotate now (and apply its own retry back-off on failure).
     * </ul>
     *
     * When {@link #isDue(Instant)} is true the caller should rotate now; this is when to look again
     * if it does not (e.g. the rotation failed).
     */
    public Instant nextCheck(Instant now) {
        Objects.requireNonNull(now, "now");
        Instant nextRotation = nextRotation();
        if (now.isBefore(nextRotation)) {
            return nextRotation;
        }
        Instant next = null;
        Instant overdueSince = nextRotation.plus(overdueAfter);
        if (now.isBefore(overdueSince)) {
            next = overdueSince;
        } else if (now.equals(overdueSince)) {
            next = overdueSince.plusNanos(1);
        }
        if (!window.isOpen(now)) {
            Instant opening = window.nextOpening(now);
            if (next == null || opening.isBefore(next)) {
                next = opening;
            }
        }
        return next == null ? now : next;
    }

    /** {@link #nextCheck(Instant)} at {@code clock.instant()}. */
    public Instant nextCheck(Clock clock) {
        return nextCheck(clock.instant());
    }
}

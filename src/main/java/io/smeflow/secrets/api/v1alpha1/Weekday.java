package io.smeflow.secrets.api.v1alpha1;

import java.time.DayOfWeek;

/** A day of the week as written in maintenance windows. */
public enum Weekday {
    Mon(DayOfWeek.MONDAY),
    Tue(DayOfWeek.TUESDAY),
    Wed(DayOfWeek.WEDNESDAY),
    Thu(DayOfWeek.THURSDAY),
    Fri(DayOfWeek.FRIDAY),
    Sat(DayOfWeek.SATURDAY),
    Sun(DayOfWeek.SUNDAY);

    private final DayOfWeek dayOfWeek;

    Weekday(DayOfWeek dayOfWeek) {
        this.dayOfWeek = dayOfWeek;
    }

    public DayOfWeek toDayOfWeek() {
        return dayOfWeek;
    }
}

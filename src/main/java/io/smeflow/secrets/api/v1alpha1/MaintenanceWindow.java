package io.smeflow.secrets.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** When scheduled rotations may happen. Emergency rotations do not wait for it. */
public class MaintenanceWindow {

    @Size(max = 7)
    @JsonPropertyDescription("Days the window opens on (Mon..Sun); empty means every day.")
    private List<Weekday> days = new ArrayList<>();

    @Required
    @Pattern(ApiPatterns.TIME_OF_DAY)
    @JsonPropertyDescription("Local time the window opens, HH:MM on a 24-hour clock.")
    private String start;

    @Required
    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription("How long the window stays open, e.g. 2h.")
    private String duration;

    @Default("UTC")
    @Size(min = 1, max = 64)
    @JsonPropertyDescription("IANA time zone of start, e.g. Africa/Lagos (default UTC).")
    private String timeZone = "UTC";

    public List<Weekday> getDays() {
        return days;
    }

    public void setDays(List<Weekday> days) {
        this.days = days == null ? new ArrayList<>() : days;
    }

    public String getStart() {
        return start;
    }

    public void setStart(String start) {
        this.start = start;
    }

    public String getDuration() {
        return duration;
    }

    public void setDuration(String duration) {
        this.duration = duration;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }
}

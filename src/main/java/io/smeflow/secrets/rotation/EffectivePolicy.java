package io.smeflow.secrets.rotation;

import io.smeflow.secrets.api.v1alpha1.Category;
import io.smeflow.secrets.api.v1alpha1.GeneratorSpec;
import io.smeflow.secrets.api.v1alpha1.RotationStrategy;
import io.smeflow.secrets.schedule.MaintenanceWindowSchedule;
import io.smeflow.secrets.schedule.RotationSchedule;
import java.time.Duration;
import java.time.Instant;

/**
 * The rotation rules that govern one TenantSecret after defaults and compliance checks: the named
 * policy when it is acceptable for the secret's category, the category's default otherwise.
 *
 * @param name the RotationPolicy's name, or {@code default/<category>} for a category default
 * @param interval the rotation cycle
 * @param overdueAfter grace before a missed rotation is reported overdue
 * @param strategy Generate or External
 * @param generator how values are made (Generate only)
 * @param previousVersionGrace how long {@code <key>_previous} stays beside a new value
 * @param window when scheduled rotations may run
 */
public record EffectivePolicy(
        String name,
        Duration interval,
        Duration overdueAfter,
        RotationStrategy strategy,
        GeneratorSpec generator,
        Duration previousVersionGrace,
        MaintenanceWindowSchedule window) {

    /** A category's default: its ceiling as interval, External, one hour of grace. */
    public static EffectivePolicy categoryDefault(Category category) {
        return new EffectivePolicy(
                "default/" + category.value(),
                category.rotationCeiling(),
                RotationSchedule.DEFAULT_OVERDUE_AFTER,
                RotationStrategy.External,
                null,
                Duration.ZERO,
                MaintenanceWindowSchedule.always());
    }

    public boolean generates() {
        return strategy == RotationStrategy.Generate && generator != null;
    }

    /** The schedule for a value last rotated at {@code lastRotation}. */
    public RotationSchedule scheduleFrom(Instant lastRotation) {
        return new RotationSchedule(lastRotation, interval, overdueAfter, window);
    }
}

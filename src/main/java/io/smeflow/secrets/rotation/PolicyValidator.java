package io.smeflow.secrets.rotation;

import io.smeflow.secrets.api.v1alpha1.Category;
import io.smeflow.secrets.api.v1alpha1.RotationPolicySpec;
import io.smeflow.secrets.api.v1alpha1.RotationStrategy;
import io.smeflow.secrets.rotation.generate.GeneratorSpecValidator;
import io.smeflow.secrets.schedule.Durations;
import io.smeflow.secrets.schedule.MaintenanceWindowSchedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Checks a RotationPolicy on its own and against the compliance ceiling of a category. */
public final class PolicyValidator {

    private PolicyValidator() {}

    /** What is wrong with the policy itself, phrased as what to fix; empty if nothing. */
    public static List<String> problems(RotationPolicySpec spec) {
        List<String> problems = new ArrayList<>();
        Duration interval = duration("spec.interval", spec.getInterval(), problems);
        duration("spec.overdueAfter", spec.getOverdueAfter(), problems);
        Duration grace =
                duration("spec.previousVersionGrace", spec.getPreviousVersionGrace(), problems);
        if (interval != null && interval.isZero()) {
            problems.add("spec.interval must be longer than 0, e.g. 30d");
        }
        if (interval != null && grace != null && grace.compareTo(interval) >= 0) {
            problems.add(
                    "spec.previousVersionGrace ("
                            + spec.getPreviousVersionGrace()
                            + ") must be shorter than spec.interval ("
                            + spec.getInterval()
                            + ")");
        }
        if (spec.getStrategy() == null) {
            problems.add("spec.strategy is required: Generate or External");
        } else if (spec.getStrategy() == RotationStrategy.Generate) {
            if (spec.getGenerator() == null) {
                problems.add("spec.generator is required when spec.strategy is Generate");
            } else {
                problems.addAll(GeneratorSpecValidator.problems(spec.getGenerator()));
            }
        }
        if (spec.getMaintenanceWindow() != null) {
            try {
                MaintenanceWindowSchedule.of(spec.getMaintenanceWindow());
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (spec.getCategory() != null && interval != null) {
            ceilingProblem(spec, spec.getCategory()).ifPresent(problems::add);
        }
        return problems;
    }

    /** Why the policy may not govern a secret of {@code category}, or empty if it may. */
    public static Optional<String> ceilingProblem(RotationPolicySpec spec, Category category) {
        Duration interval;
        try {
            interval = Durations.parse("spec.interval", spec.getInterval());
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        if (interval.compareTo(category.rotationCeiling()) > 0) {
            return Optional.of(
                    "interval "
                            + spec.getInterval()
                            + " is looser than the "
                            + category.value()
                            + " ceiling of "
                            + Durations.format(category.rotationCeiling())
                            + " set by the security policy; use "
                            + Durations.format(category.rotationCeiling())
                            + " or less");
        }
        return Optional.empty();
    }

    private static Duration duration(String field, String value, List<String> problems) {
        try {
            return Durations.parse(field, value);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }
}

package io.smeflow.secrets.rotation;

import io.smeflow.secrets.api.v1alpha1.Category;
import io.smeflow.secrets.api.v1alpha1.RotationPolicy;
import io.smeflow.secrets.api.v1alpha1.RotationPolicySpec;
import io.smeflow.secrets.api.v1alpha1.TenantSecretSpec;
import io.smeflow.secrets.schedule.Durations;
import io.smeflow.secrets.schedule.MaintenanceWindowSchedule;
import java.util.List;
import java.util.Optional;

/**
 * Decides which rotation rules govern a TenantSecret. A policy that is missing, invalid or looser
 * than the secret's category allows is refused for that secret: the secret then follows its
 * category's default, which is never looser than the ceiling, and says why.
 */
public final class PolicyResolver {

    /**
     * The outcome.
     *
     * @param policy the rules that apply
     * @param refusal why the named policy was not used, if it was not
     */
    public record Resolution(EffectivePolicy policy, Optional<String> refusal) {}

    private PolicyResolver() {}

    public static Resolution resolve(TenantSecretSpec spec, Optional<RotationPolicy> named) {
        Category category = spec.getCategory();
        EffectivePolicy fallback = EffectivePolicy.categoryDefault(category);
        if (spec.getRotationPolicyRef() == null) {
            return new Resolution(fallback, Optional.empty());
        }
        String name = spec.getRotationPolicyRef().getName();
        if (named.isEmpty()) {
            return refused(fallback, "RotationPolicy " + name + " does not exist");
        }
        RotationPolicySpec policy = named.get().getSpec();
        List<String> problems = PolicyValidator.problems(policy);
        if (!problems.isEmpty()) {
            return refused(fallback, "RotationPolicy " + name + " is invalid: " + problems.get(0));
        }
        Optional<String> ceiling = PolicyValidator.ceilingProblem(policy, category);
        if (ceiling.isPresent()) {
            return refused(
                    fallback,
                    "RotationPolicy "
                            + name
                            + " cannot govern a "
                            + category.value()
                            + " secret: "
                            + ceiling.get());
        }
        return new Resolution(toEffective(name, policy), Optional.empty());
    }

    private static Resolution refused(EffectivePolicy fallback, String why) {
        return new Resolution(
                fallback,
                Optional.of(
                        why
                                + "; following "
                                + fallback.name()
                                + " ("
                                + Durations.format(fallback.interval())
                                + ", External) until it is fixed"));
    }

    private static EffectivePolicy toEffective(String name, RotationPolicySpec spec) {
        return new EffectivePolicy(
                name,
                Durations.parse(spec.getInterval()),
                Durations.parse(spec.getOverdueAfter()),
                spec.getStrategy(),
                spec.getGenerator(),
                Durations.parse(spec.getPreviousVersionGrace()),
                MaintenanceWindowSchedule.of(spec.getMaintenanceWindow()));
    }
}

package io.smeflow.secrets.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.smeflow.secrets.api.v1alpha1.RotationPolicy;
import io.smeflow.secrets.api.v1alpha1.RotationPolicyStatus;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.rotation.PolicyValidator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Validates RotationPolicies (including their category's compliance ceiling) and reports how the
 * secrets that follow each one are doing. Rotation itself happens per TenantSecret.
 */
@ControllerConfiguration(name = RotationPolicyReconciler.NAME)
public class RotationPolicyReconciler implements Reconciler<RotationPolicy> {

    public static final String NAME = "rotationpolicy";

    /** How often the secret counts are refreshed from the TenantSecret cache. */
    static final Duration COUNT_REFRESH = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TenantSecretIndex index;
    private final EventRecorder events;
    private final Clock clock;

    public RotationPolicyReconciler(TenantSecretIndex index, EventRecorder events, Clock clock) {
        this.index = index;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public UpdateControl<RotationPolicy> reconcile(
            RotationPolicy policy, Context<RotationPolicy> context) {
        RotationPolicyStatus before =
                policy.getStatus() == null
                        ? new RotationPolicyStatus()
                        : JSON.convertValue(policy.getStatus(), RotationPolicyStatus.class);
        RotationPolicyStatus status = JSON.convertValue(before, RotationPolicyStatus.class);
        status.setObservedGeneration(policy.getMetadata().getGeneration());

        List<String> problems = PolicyValidator.problems(policy.getSpec());
        reportValidity(policy, status, problems);
        countSecrets(policy.getMetadata().getName(), status);

        UpdateControl<RotationPolicy> control;
        if (Objects.equals(JSON.valueToTree(before), JSON.valueToTree(status))) {
            control = UpdateControl.noUpdate();
        } else {
            policy.setStatus(status);
            control = UpdateControl.patchStatus(policy);
        }
        return control.rescheduleAfter(COUNT_REFRESH);
    }

    private void reportValidity(
            RotationPolicy policy, RotationPolicyStatus status, List<String> problems) {
        Instant now = clock.instant();
        Long generation = policy.getMetadata().getGeneration();
        boolean wasInvalid = Conditions.isTrue(status.getConditions(), Conditions.INVALID_SPEC);
        if (problems.isEmpty()) {
            Conditions.remove(status.getConditions(), Conditions.INVALID_SPEC);
            Conditions.set(
                    status.getConditions(),
                    Conditions.READY,
                    true,
                    Conditions.REASON_VALID,
                    "policy is valid",
                    generation,
                    now);
            return;
        }
        String message = String.join("; ", problems);
        Conditions.set(
                status.getConditions(),
                Conditions.INVALID_SPEC,
                true,
                Conditions.INVALID_SPEC,
                message,
                generation,
                now);
        Conditions.set(
                status.getConditions(),
                Conditions.READY,
                false,
                Conditions.INVALID_SPEC,
                message,
                generation,
                now);
        if (!wasInvalid) {
            events.warning(policy, Conditions.INVALID_SPEC, message);
        }
    }

    private void countSecrets(String name, RotationPolicyStatus status) {
        List<TenantSecret> governed = index.byPolicy(name);
        status.setSecretCount(governed.size());
        status.setOverdueCount(
                (int)
                        governed.stream()
                                .filter(
                                        ts ->
                                                ts.getStatus() != null
                                                        && Conditions.isTrue(
                                                                ts.getStatus().getConditions(),
                                                                Conditions.ROTATION_OVERDUE))
                                .count());
        Optional<String> next =
                governed.stream()
                        .map(
                                ts ->
                                        ts.getStatus() == null
                                                ? null
                                                : ts.getStatus().getNextRotationTime())
                        .filter(Objects::nonNull)
                        .min((a, b) -> Instant.parse(a).compareTo(Instant.parse(b)));
        status.setNextRotationTime(next.orElse(null));
    }
}

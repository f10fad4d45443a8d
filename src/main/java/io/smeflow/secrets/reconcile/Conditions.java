package io.smeflow.secrets.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Condition types and reasons, in one place, and the rule for setting them: lastTransitionTime
 * moves only when a condition's status changes.
 */
public final class Conditions {

    // Types
    public static final String READY = "Ready";
    public static final String SYNCED = "Synced";
    public static final String ROTATION_OVERDUE = "RotationOverdue";
    public static final String ROTATED = "Rotated";
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String TENANCY_VIOLATION = "TenancyViolation";
    public static final String RESIDENCY_VIOLATION = "ResidencyViolation";
    public static final String POLICY_ACCEPTED = "PolicyAccepted";
    public static final String ROLLOUT_TARGETS_FOUND = "RolloutTargetsFound";

    /** The refusal types; at most one of them is True at a time. */
    public static final List<String> REFUSALS =
            List.of(INVALID_SPEC, TENANCY_VIOLATION, RESIDENCY_VIOLATION);

    // Reasons
    public static final String REASON_SYNCED = "Synced";
    public static final String REASON_VAULT_UNAVAILABLE = "VaultUnavailable";
    public static final String REASON_ACCESS_DENIED = "AccessDenied";
    public static final String REASON_NOT_FOUND = "NotFound";
    public static final String REASON_REGION_NOT_CONFIGURED = "RegionNotConfigured";
    public static final String REASON_SECRET_CONFLICT = "SecretConflict";
    public static final String REASON_REFUSED = "Refused";
    public static final String REASON_SYNC_FAILED = "SyncFailed";
    public static final String REASON_VALID = "Valid";
    public static final String REASON_ON_SCHEDULE = "OnSchedule";
    public static final String REASON_OVERDUE = "Overdue";
    public static final String REASON_EXPIRING_SOON = "ExpiringSoon";
    public static final String REASON_ROTATED = "Rotated";
    public static final String REASON_ROTATION_FAILED = "RotationFailed";
    public static final String REASON_POLICY_REFUSED = "PolicyRefused";
    public static final String REASON_ACCEPTED = "Accepted";
    public static final String REASON_TARGETS_FOUND = "TargetsFound";
    public static final String REASON_TARGET_NOT_FOUND = "TargetNotFound";
    public static final String REASON_EMERGENCY_NOT_POSSIBLE = "EmergencyRotationNotPossible";

    public static final String TRUE = "True";
    public static final String FALSE = "False";

    private Conditions() {}

    /**
     * Sets a condition in {@code conditions}, keeping its lastTransitionTime when its status did
     * not change.
     */
    public static void set(
            List<Condition> conditions,
            String type,
            boolean status,
            String reason,
            String message,
            Long generation,
            Instant now) {
        String statusText = status ? TRUE : FALSE;
        Optional<Condition> existing = find(conditions, type);
        String transition =
                existing.filter(c -> statusText.equals(c.getStatus()))
                        .map(Condition::getLastTransitionTime)
                        .orElse(now.toString());
        Condition next =
                new ConditionBuilder()
                        .withType(type)
                        .withStatus(statusText)
                        .withReason(reason)
                        .withMessage(message)
                        .withObservedGeneration(generation)
                        .withLastTransitionTime(transition)
                        .build();
        existing.ifPresentOrElse(
                c -> conditions.set(conditions.indexOf(c), next), () -> conditions.add(next));
    }

    public static void remove(List<Condition> conditions, String type) {
        conditions.removeIf(c -> type.equals(c.getType()));
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
    }

    /** The reason of a condition, if present. */
    public static Optional<String> reason(List<Condition> conditions, String type) {
        return find(conditions, type).map(Condition::getReason);
    }

    static boolean sameState(Condition a, Condition b) {
        return Objects.equals(a.getStatus(), b.getStatus())
                && Objects.equals(a.getReason(), b.getReason());
    }
}

package io.smeflow.secrets.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.smeflow.secrets.api.v1alpha1.RolloutTarget;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.api.v1alpha1.TenantSecretStatus;
import io.smeflow.secrets.rotation.EffectivePolicy;
import io.smeflow.secrets.rotation.PolicyResolver;
import io.smeflow.secrets.rotation.RotationRequest;
import io.smeflow.secrets.rotation.Rotator;
import io.smeflow.secrets.schedule.Durations;
import io.smeflow.secrets.schedule.RotationSchedule;
import io.smeflow.secrets.tenancy.Refusal;
import io.smeflow.secrets.vault.VaultAccessException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The outcome of one reconcile of a TenantSecret, built up step by step and turned into status,
 * Events, metrics and the next wake-up at the end. Status is patched only when it changed.
 */
public class StatusReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TenantSecret resource;
    private final TenantSecretStatus before;
    private final TenantSecretStatus status;
    private final Instant now;
    private final StatusReporter reporter;
    private final long startNanos = System.nanoTime();
    private Duration wakeUp;
    private boolean backingOff;
    private String outcome = "unchanged";

    StatusReport(TenantSecret resource, Instant now, StatusReporter reporter) {
        this.resource = resource;
        this.before = copy(resource.getStatus());
        this.status = copy(resource.getStatus());
        this.now = now;
        this.reporter = reporter;
        status.setObservedGeneration(resource.getMetadata().getGeneration());
    }

    public Instant now() {
        return now;
    }

    /** Refused before anything was read or written. No retry: a spec or label change wakes it. */
    public StatusReport refused(Refusal refusal) {
        Conditions.REFUSALS.stream()
                .filter(type -> !type.equals(refusal.reason()))
                .forEach(type -> Conditions.remove(status.getConditions(), type));
        set(refusal.reason(), true, refusal.reason(), refusal.message());
        set(Conditions.SYNCED, false, refusal.reason(), "not synced: " + refusal.message());
        outcome = "refused";
        return this;
    }

    /** The resource passed tenancy, residency and spec checks. */
    public StatusReport admitted(String vaultAddress) {
        Conditions.REFUSALS.forEach(type -> Conditions.remove(status.getConditions(), type));
        status.setVaultAddress(vaultAddress);
        return this;
    }

    /** Which rotation rules apply, and why a named policy was refused if it was. */
    public StatusReport policy(PolicyResolver.Resolution resolution) {
        if (resolution.refusal().isPresent()) {
            set(
                    Conditions.POLICY_ACCEPTED,
                    false,
                    Conditions.REASON_POLICY_REFUSED,
                    resolution.refusal().get());
        } else {
            set(
                    Conditions.POLICY_ACCEPTED,
                    true,
                    Conditions.REASON_ACCEPTED,
                    "rotation follows " + resolution.policy().name());
        }
        return this;
    }

    public StatusReport synced(SyncResult result) {
        status.setVaultVersion(result.vaultVersion());
        status.setDataHash(result.dataHash());
        status.setLastSyncTime(now.toString());
        set(
                Conditions.SYNCED,
                true,
                Conditions.REASON_SYNCED,
                "Secret "
                        + ManagedSecrets.targetName(resource)
                        + " holds Vault version "
                        + result.vaultVersion());
        outcome = result.change().name().toLowerCase();
        reporter.succeeded(resource, before, result);
        return this;
    }

    /**
     * Records the rotation schedule as Vault's metadata defines it: the current version's creation
     * is the last rotation. Reports overdue and expiring-soon states.
     */
    public StatusReport schedule(EffectivePolicy policy, SyncResult result, String secretPath) {
        Instant lastRotation = result.lastRotation();
        RotationSchedule schedule = policy.scheduleFrom(lastRotation);
        status.setLastRotationTime(lastRotation.truncatedTo(ChronoUnit.SECONDS).toString());
        status.setNextRotationTime(
                schedule.nextRotation().truncatedTo(ChronoUnit.SECONDS).toString());
        boolean overdue = schedule.isOverdue(now);
        boolean expiringSoon =
                !overdue && !now.plus(reporter.expiryWarning()).isBefore(schedule.nextRotation());
        if (overdue) {
            set(
                    Conditions.ROTATION_OVERDUE,
                    true,
                    Conditions.REASON_OVERDUE,
                    "rotation was due "
                            + schedule.nextRotation()
                            + " under "
                            + policy.name()
                            + " (every "
                            + Durations.format(policy.interval())
                            + "); overdue since "
                            + schedule.overdueSince()
                            + " by "
                            + Durations.format(schedule.overdueBy(now)));
        } else if (expiringSoon) {
            set(
                    Conditions.ROTATION_OVERDUE,
                    false,
                    Conditions.REASON_EXPIRING_SOON,
                    "rotation due " + schedule.nextRotation() + " under " + policy.name());
        } else {
            set(
                    Conditions.ROTATION_OVERDUE,
                    false,
                    Conditions.REASON_ON_SCHEDULE,
                    "next rotation " + schedule.nextRotation() + " under " + policy.name());
        }
        reporter.schedule(
                resource, secretPath, lastRotation, schedule.nextRotation(), overdue, expiringSoon);
        wakeUpAt(nextScheduleEvent(policy, schedule, result));
        return this;
    }

    public StatusReport rotated(RotationRequest request, Rotator.Outcome outcome) {
        if (request.isEmergency()) {
            status.setLastRotateNowToken(request.token());
        }
        if (outcome.result() != Rotator.Result.LOST_RACE) {
            set(
                    Conditions.ROTATED,
                    true,
                    Conditions.REASON_ROTATED,
                    request.trigger().label()
                            + " rotation produced Vault version "
                            + outcome.version());
        }
        reporter.rotated(resource, request, outcome);
        return this;
    }

    public StatusReport rotationFailed(RotationRequest request, VaultAccessException e) {
        set(
                Conditions.ROTATED,
                false,
                Conditions.REASON_ROTATION_FAILED,
                request.trigger().label() + " rotation failed: " + e.getMessage());
        reporter.rotationFailed(resource, request, e);
        return this;
    }

    /** An emergency was asked for a secret the operator does not generate; it is acknowledged. */
    public StatusReport emergencyNotPossible(RotationRequest request, EffectivePolicy policy) {
        status.setLastRotateNowToken(request.token());
        reporter.emergencyNotPossible(resource, policy);
        return this;
    }

    public StatusReport rolloutTargets(List<RolloutTarget> missing) {
        if (resource.getSpec().getRolloutTargets().isEmpty()) {
            Conditions.remove(status.getConditions(), Conditions.ROLLOUT_TARGETS_FOUND);
        } else if (missing.isEmpty()) {
            set(
                    Conditions.ROLLOUT_TARGETS_FOUND,
                    true,
                    Conditions.REASON_TARGETS_FOUND,
                    "all rollout targets exist");
        } else {
            String message =
                    "not found in "
                            + resource.getMetadata().getNamespace()
                            + ": "
                            + missing.stream()
                                    .map(RolloutTarget::toString)
                                    .collect(Collectors.joining(", "));
            boolean alreadyReported =
                    Conditions.find(before.getConditions(), Conditions.ROLLOUT_TARGETS_FOUND)
                            .filter(c -> message.equals(c.getMessage()))
                            .isPresent();
            set(
                    Conditions.ROLLOUT_TARGETS_FOUND,
                    false,
                    Conditions.REASON_TARGET_NOT_FOUND,
                    message);
            if (!alreadyReported) {
                reporter.targetsMissing(resource, message);
            }
        }
        return this;
    }

    public StatusReport vaultFailed(VaultAccessException e) {
        return failed(reasonFor(e), e.getMessage());
    }

    public StatusReport conflict(SecretConflictException e) {
        return failed(Conditions.REASON_SECRET_CONFLICT, e.getMessage());
    }

    /** Asks to be woken after {@code delay} (the earliest request wins; backoff overrides). */
    public StatusReport wakeUpIn(Duration delay) {
        if (!backingOff && delay != null && (wakeUp == null || delay.compareTo(wakeUp) < 0)) {
            wakeUp = delay.isNegative() ? Duration.ZERO : delay;
        }
        return this;
    }

    public StatusReport wakeUpAt(Instant when) {
        return when == null ? this : wakeUpIn(Duration.between(now, when));
    }

    public UpdateControl<TenantSecret> finish() {
        boolean refused =
                Conditions.REFUSALS.stream()
                        .anyMatch(t -> Conditions.isTrue(status.getConditions(), t));
        Condition synced = Conditions.find(status.getConditions(), Conditions.SYNCED).orElse(null);
        set(
                Conditions.READY,
                !refused && synced != null && Conditions.TRUE.equals(synced.getStatus()),
                synced == null ? Conditions.REASON_SYNCED : synced.getReason(),
                synced == null ? "" : synced.getMessage());
        reporter.finished(
                resource,
                before,
                status,
                outcome,
                Duration.ofNanos(System.nanoTime() - startNanos));
        UpdateControl<TenantSecret> control;
        if (sameJson(before, status)) {
            control = UpdateControl.noUpdate();
        } else {
            resource.setStatus(status);
            control = UpdateControl.patchStatus(resource);
        }
        return wakeUp == null ? control : control.rescheduleAfter(wakeUp.plusMillis(1));
    }

    private StatusReport failed(String reason, String message) {
        set(Conditions.SYNCED, false, reason, message);
        outcome = "failed";
        wakeUp = reporter.backoff(resource);
        backingOff = true;
        return this;
    }

    /**
     * When the schedule next needs a look: the next rotation (Generate) or the moment it turns
     * overdue or expiring-soon, and the end of the previous-version grace.
     */
    private Instant nextScheduleEvent(
            EffectivePolicy policy, RotationSchedule schedule, SyncResult result) {
        Instant next = policy.generates() ? schedule.nextCheck(now) : null;
        for (Instant candidate :
                List.of(
                        schedule.nextRotation().minus(reporter.expiryWarning()),
                        schedule.nextRotation(),
                        schedule.overdueSince().plusSeconds(1),
                        result.lastRotation().plus(policy.previousVersionGrace()))) {
            if (candidate.isAfter(now) && (next == null || candidate.isBefore(next))) {
                next = candidate;
            }
        }
        return next != null && !next.isAfter(now) ? now.plusSeconds(1) : next;
    }

    private void set(String type, boolean value, String reason, String message) {
        Conditions.set(
                status.getConditions(),
                type,
                value,
                reason,
                message,
                resource.getMetadata().getGeneration(),
                now);
    }

    static String reasonFor(VaultAccessException e) {
        return switch (e.failure()) {
            case DENIED -> Conditions.REASON_ACCESS_DENIED;
            case NOT_FOUND -> Conditions.REASON_NOT_FOUND;
            case NOT_CONFIGURED -> Conditions.REASON_REGION_NOT_CONFIGURED;
            case UNAVAILABLE, CAS_CONFLICT -> Conditions.REASON_VAULT_UNAVAILABLE;
        };
    }

    private static TenantSecretStatus copy(TenantSecretStatus status) {
        return status == null
                ? new TenantSecretStatus()
                : JSON.convertValue(status, TenantSecretStatus.class);
    }

    private static boolean sameJson(Object a, Object b) {
        return Objects.equals(JSON.valueToTree(a), JSON.valueToTree(b));
    }
}

package io.smeflow.secrets.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.api.v1alpha1.TenantSecretStatus;
import io.smeflow.secrets.tenancy.Refusal;
import io.smeflow.secrets.vault.VaultAccessException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
    private Duration wakeUp;
    private String outcome = "unchanged";
    private final long startNanos = System.nanoTime();

    StatusReport(TenantSecret resource, Instant now, StatusReporter reporter) {
        this.resource = resource;
        this.before = copy(resource.getStatus());
        this.status = copy(resource.getStatus());
        this.now = now;
        this.reporter = reporter;
        status.setObservedGeneration(resource.getMetadata().getGeneration());
    }

    public TenantSecretStatus status() {
        return status;
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
        wakeUp = null;
        return this;
    }

    /** The resource passed tenancy, residency and spec checks. */
    public StatusReport admitted(String vaultAddress) {
        Conditions.REFUSALS.forEach(type -> Conditions.remove(status.getConditions(), type));
        status.setVaultAddress(vaultAddress);
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

    /** The Secret was checked against its last sync and still matches; Vault was not asked. */
    public StatusReport stillInSync() {
        return this;
    }

    public StatusReport vaultFailed(VaultAccessException e) {
        return failed(reasonFor(e), e.getMessage());
    }

    public StatusReport conflict(SecretConflictException e) {
        return failed(Conditions.REASON_SECRET_CONFLICT, e.getMessage());
    }

    /** Schedules the next look, unless a failure already chose a backoff. */
    public StatusReport wakeUpIn(Duration delay) {
        if (wakeUp == null && delay != null) {
            wakeUp = delay;
        }
        return this;
    }

    public UpdateControl<TenantSecret> finish() {
        boolean refused =
                Conditions.REFUSALS.stream()
                        .anyMatch(t -> Conditions.isTrue(status.getConditions(), t));
        boolean synced = Conditions.isTrue(status.getConditions(), Conditions.SYNCED);
        Condition syncedCondition =
                Conditions.find(status.getConditions(), Conditions.SYNCED).orElse(null);
        set(
                Conditions.READY,
                synced && !refused,
                syncedCondition == null ? Conditions.REASON_SYNCED : syncedCondition.getReason(),
                syncedCondition == null ? "" : syncedCondition.getMessage());
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
        return wakeUp == null ? control : control.rescheduleAfter(wakeUp);
    }

    public String outcome() {
        return outcome;
    }

    private StatusReport failed(String reason, String message) {
        set(Conditions.SYNCED, false, reason, message);
        outcome = "failed";
        wakeUp = reporter.backoff(resource);
        return this;
    }

    void set(String type, boolean value, String reason, String message) {
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

    Optional<Condition> previous(String type) {
        return Conditions.find(before.getConditions(), type);
    }

    private static TenantSecretStatus copy(TenantSecretStatus status) {
        return status == null
                ? new TenantSecretStatus()
                : JSON.convertValue(status, TenantSecretStatus.class);
    }

    private static boolean sameJson(Object a, Object b) {
        return Objects.equals(JSON.valueToTree(a), JSON.valueToTree(b));
    }

    static List<Condition> conditions(TenantSecretStatus status) {
        return status.getConditions();
    }
}

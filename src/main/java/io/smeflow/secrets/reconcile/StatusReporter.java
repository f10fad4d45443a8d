package io.smeflow.secrets.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.api.v1alpha1.TenantSecretStatus;
import io.smeflow.secrets.config.OperatorConfig;
import io.smeflow.secrets.metrics.OperatorMetrics;
import io.smeflow.secrets.rotation.EffectivePolicy;
import io.smeflow.secrets.rotation.RotationMetrics;
import io.smeflow.secrets.rotation.RotationRequest;
import io.smeflow.secrets.rotation.Rotator;
import io.smeflow.secrets.vault.VaultAccessException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Turns reconcile outcomes into the signals people watch: Events on transitions, log lines for
 * actions, sync metrics and the failure backoff.
 */
@ApplicationScoped
public class StatusReporter {

    private static final Logger LOG = Logger.getLogger(StatusReporter.class);

    private final EventRecorder events;
    private final FailureBackoff backoff;
    private final OperatorMetrics metrics;
    private final RotationMetrics rotationMetrics;
    private final OperatorConfig config;
    private final Clock clock;

    public StatusReporter(
            EventRecorder events,
            FailureBackoff backoff,
            OperatorMetrics metrics,
            RotationMetrics rotationMetrics,
            OperatorConfig config,
            Clock clock) {
        this.events = events;
        this.backoff = backoff;
        this.metrics = metrics;
        this.rotationMetrics = rotationMetrics;
        this.config = config;
        this.clock = clock;
    }

    Duration expiryWarning() {
        return config.rollout().expiryWarning();
    }

    void schedule(
            TenantSecret resource,
            String secretPath,
            Instant lastRotation,
            Instant nextRotation,
            boolean overdue,
            boolean expiringSoon) {
        rotationMetrics.publish(
                resource, secretPath, lastRotation, nextRotation, overdue, expiringSoon);
    }

    void rotated(TenantSecret resource, RotationRequest request, Rotator.Outcome outcome) {
        String what = request.trigger().label();
        String where =
                resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
        switch (outcome.result()) {
            case ROTATED -> {
                LOG.infof("Rotated %s (%s) to Vault version %d", where, what, outcome.version());
                events.normal(
                        resource,
                        request.isEmergency() ? "EmergencyRotated" : "Rotated",
                        "Rotated (" + what + ") to Vault version " + outcome.version());
            }
            case ALREADY_DONE ->
                    LOG.infof(
                            "Rotation %s of %s was already done (version %d)",
                            what, where, outcome.version());
            case LOST_RACE -> {
                LOG.infof(
                        "Did not rotate %s: Vault version %d was written by someone else first",
                        where, outcome.version());
                events.normal(
                        resource,
                        "RotationSkipped",
                        "Not rotated: another writer created"
                                + " Vault version "
                                + outcome.version()
                                + " first");
            }
        }
        rotationMetrics.rotation(
                resource,
                request.trigger(),
                outcome.result() == Rotator.Result.LOST_RACE ? "conflict" : "success");
    }

    void rotationFailed(TenantSecret resource, RotationRequest request, VaultAccessException e) {
        events.warning(
                resource,
                Conditions.REASON_ROTATION_FAILED,
                request.trigger().label() + " rotation failed: " + e.getMessage());
        rotationMetrics.rotation(resource, request.trigger(), "failed");
    }

    void targetsMissing(TenantSecret resource, String message) {
        events.warning(resource, Conditions.REASON_TARGET_NOT_FOUND, "Rollout targets " + message);
    }

    void emergencyNotPossible(TenantSecret resource, EffectivePolicy policy) {
        String message =
                "Emergency rotation asked, but "
                        + policy.name()
                        + " uses the External"
                        + " strategy: rotate the credential at its provider and write it to"
                        + " Vault; the"
                        + " operator syncs it and restarts the workloads";
        LOG.warnf(
                "TenantSecret %s/%s: %s",
                resource.getMetadata().getNamespace(), resource.getMetadata().getName(), message);
        events.warning(resource, Conditions.REASON_EMERGENCY_NOT_POSSIBLE, message);
    }

    public StatusReport start(TenantSecret resource) {
        return new StatusReport(resource, clock.instant(), this);
    }

    Duration backoff(TenantSecret resource) {
        return backoff.nextDelay(resource.getMetadata().getUid());
    }

    void succeeded(TenantSecret resource, TenantSecretStatus before, SyncResult result) {
        backoff.reset(resource.getMetadata().getUid());
        String secret = ManagedSecrets.targetName(resource);
        String where = resource.getMetadata().getNamespace() + "/" + secret;
        switch (result.change()) {
            case CREATED -> {
                LOG.infof("Created Secret %s from Vault version %d", where, result.vaultVersion());
                events.normal(
                        resource,
                        "SecretCreated",
                        "Created Secret "
                                + secret
                                + " from Vault version "
                                + result.vaultVersion());
            }
            case UPDATED -> {
                boolean drift =
                        Objects.equals(before.getVaultVersion(), result.vaultVersion())
                                && Objects.equals(before.getDataHash(), result.dataHash());
                String what =
                        drift
                                ? "Repaired Secret " + secret + " (changed outside the operator)"
                                : "Updated Secret "
                                        + secret
                                        + " to Vault version "
                                        + result.vaultVersion();
                LOG.infof("%s in %s", what, resource.getMetadata().getNamespace());
                events.normal(resource, drift ? "DriftRepaired" : "SecretUpdated", what);
            }
            case UNCHANGED ->
                    LOG.debugf(
                            "Secret %s already matches Vault version %d",
                            where, result.vaultVersion());
        }
    }

    /** Emits an Event when the sync state changed: a new failure, another failure, a recovery. */
    void finished(
            TenantSecret resource,
            TenantSecretStatus before,
            TenantSecretStatus after,
            String outcome,
            Duration took) {
        Condition was = Conditions.find(before.getConditions(), Conditions.SYNCED).orElse(null);
        Condition now = Conditions.find(after.getConditions(), Conditions.SYNCED).orElse(null);
        if (now != null && Conditions.FALSE.equals(now.getStatus())) {
            events.warning(resource, now.getReason(), now.getMessage());
            if (was == null || !Conditions.sameState(was, now)) {
                LOG.warnf(
                        "TenantSecret %s/%s not synced: %s",
                        resource.getMetadata().getNamespace(),
                        resource.getMetadata().getName(),
                        now.getMessage());
            }
        } else if (was != null && now != null && Conditions.FALSE.equals(was.getStatus())) {
            events.normal(resource, "SyncRecovered", "Synced again after " + was.getReason());
            LOG.infof(
                    "TenantSecret %s/%s synced again after %s",
                    resource.getMetadata().getNamespace(),
                    resource.getMetadata().getName(),
                    was.getReason());
        }
        if (!"unchanged".equals(outcome)) {
            metrics.sync(outcome, took);
        }
    }
}

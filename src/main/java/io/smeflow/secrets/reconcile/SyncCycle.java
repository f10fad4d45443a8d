package io.smeflow.secrets.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.audit.AuditEvent;
import io.smeflow.secrets.audit.AuditLog;
import io.smeflow.secrets.rotation.EffectivePolicy;
import io.smeflow.secrets.rotation.RolloutRestarter;
import io.smeflow.secrets.rotation.RotationCheckpoints;
import io.smeflow.secrets.rotation.RotationCheckpoints.Checkpoint;
import io.smeflow.secrets.rotation.RotationPlanner;
import io.smeflow.secrets.rotation.RotationRequest;
import io.smeflow.secrets.rotation.Rotator;
import io.smeflow.secrets.tenancy.SecretLocations;
import io.smeflow.secrets.vault.SecretLocation;
import io.smeflow.secrets.vault.VaultAccessException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * One pass for an admitted TenantSecret: sync the current Vault version, rotate if due (which only
 * makes a new Vault version), sync again through the same path, and ask for the workloads to be
 * checked. A rotation, a person's write to Vault and a crash recovery all converge this way.
 */
@ApplicationScoped
public class SyncCycle {

    private final SecretSynchronizer synchronizer;
    private final Rotator rotator;
    private final RolloutRestarter restarter;
    private final SecretLocations locations;
    private final RotationCheckpoints checkpoints;
    private final AuditLog audit;

    public SyncCycle(
            SecretSynchronizer synchronizer,
            Rotator rotator,
            RolloutRestarter restarter,
            SecretLocations locations,
            RotationCheckpoints checkpoints,
            AuditLog audit) {
        this.synchronizer = synchronizer;
        this.rotator = rotator;
        this.restarter = restarter;
        this.locations = locations;
        this.checkpoints = checkpoints;
        this.audit = audit;
    }

    public SyncResult run(
            TenantSecret resource, Secret cached, EffectivePolicy policy, StatusReport report)
            throws VaultAccessException, SecretConflictException {
        SyncResult result = synchronizer.sync(resource, cached, policy, report.now());
        Optional<RotationRequest> request =
                RotationPlanner.plan(resource, result.lastRotation(), policy, report.now());
        if (request.isPresent()) {
            result = rotate(resource, policy, result, request.get(), report);
        }
        restarter.requestCheck(resource);
        checkpoints.reached(Checkpoint.RESTARTS_REQUESTED);
        return result;
    }

    private SyncResult rotate(
            TenantSecret resource,
            EffectivePolicy policy,
            SyncResult synced,
            RotationRequest request,
            StatusReport report)
            throws VaultAccessException, SecretConflictException {
        if (!policy.generates()) {
            report.emergencyNotPossible(request, policy);
            return synced;
        }
        SecretLocation location = locations.of(resource);
        Rotator.Outcome outcome;
        try {
            outcome = rotator.rotate(location, synced.source(), policy, request);
        } catch (VaultAccessException e) {
            report.rotationFailed(request, e);
            throw e;
        }
        auditRotation(resource, location, request, outcome);
        report.rotated(request, outcome);
        SyncResult after = synchronizer.sync(resource, null, policy, report.now());
        checkpoints.reached(Checkpoint.SECRET_UPDATED);
        return after;
    }

    private void auditRotation(
            TenantSecret resource,
            SecretLocation location,
            RotationRequest request,
            Rotator.Outcome outcome) {
        audit.record(
                new AuditEvent(
                        request.isEmergency() ? "secret_emergency_rotation" : "secret_rotation",
                        location.tenantId(),
                        location.auditPath(locations.mount()),
                        "rotate",
                        location.region().name(),
                        outcome.result() != Rotator.Result.LOST_RACE,
                        outcome.result() == Rotator.Result.LOST_RACE
                                ? "another writer created version " + outcome.version() + " first"
                                : null));
    }
}

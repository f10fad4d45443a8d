package io.smeflow.secrets.vault;

import io.smeflow.secrets.audit.AuditEvent;
import io.smeflow.secrets.audit.AuditLog;
import io.smeflow.secrets.metrics.OperatorMetrics;
import jakarta.enterprise.context.ApplicationScoped;

/** Records every Vault request twice: one audit line and one count in the access metrics. */
@ApplicationScoped
public class VaultAccessRecorder {

    private final AuditLog audit;
    private final OperatorMetrics metrics;

    public VaultAccessRecorder(AuditLog audit, OperatorMetrics metrics) {
        this.audit = audit;
        this.metrics = metrics;
    }

    public void succeeded(SecretLocation location, String auditPath, VaultAction action) {
        record(location, auditPath, action, "success", null);
    }

    public void failed(
            SecretLocation location, String auditPath, VaultAction action, VaultAccessException e) {
        record(location, auditPath, action, e.failure().outcome(), e.getMessage());
    }

    private void record(
            SecretLocation location,
            String auditPath,
            VaultAction action,
            String outcome,
            String reason) {
        String region = location.region().name();
        audit.record(
                new AuditEvent(
                        "secret_" + action.label(),
                        location.tenantId(),
                        auditPath,
                        action.label(),
                        region,
                        reason == null,
                        reason));
        metrics.vaultAccess(region, action.label(), outcome);
    }
}

package io.smeflow.secrets.rotation;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Named points between the steps of a rotation. In production nothing happens there; crash tests
 * replace this bean to stop the operator at one of them and prove it converges after a restart.
 */
@ApplicationScoped
@DefaultBean
public class RotationCheckpoints {

    public enum Checkpoint {
        /** The rotation's id and target version are in Vault's custom metadata; no new version. */
        INTENT_RECORDED,
        /** The new version is in Vault; the Secret still holds the old one. */
        VAULT_WRITTEN,
        /** The Secret holds the new version; workloads are not restarted yet. */
        SECRET_UPDATED,
        /** Workload restarts were requested; status is not recorded yet. */
        RESTARTS_REQUESTED
    }

    /** Called when a rotation reaches {@code checkpoint}. */
    public void reached(Checkpoint checkpoint) {}
}

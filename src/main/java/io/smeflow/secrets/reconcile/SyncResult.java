package io.smeflow.secrets.reconcile;

import io.smeflow.secrets.vault.KvSecret;
import java.time.Instant;

/**
 * What one sync found in Vault and did to the Secret.
 *
 * @param source the Vault version synced (its toString shows no values)
 * @param dataHash HMAC of the data written
 * @param change whether the Secret was created, updated or already right
 * @param withPrevious whether the previous version's values were kept beside the new ones
 * @param lastRotation when the value last rotated, per Vault's metadata
 */
public record SyncResult(
        KvSecret source,
        String dataHash,
        ManagedSecrets.Change change,
        boolean withPrevious,
        Instant lastRotation) {

    public int vaultVersion() {
        return source.version();
    }
}

package io.smeflow.secrets.reconcile;

import java.time.Instant;

/**
 * What one sync found in Vault and did to the Secret.
 *
 * @param vaultVersion the KV v2 version synced
 * @param versionCreated when Vault created that version
 * @param dataHash HMAC of the data written
 * @param change whether the Secret was created, updated or already right
 */
public record SyncResult(
        int vaultVersion, Instant versionCreated, String dataHash, ManagedSecrets.Change change) {}

package io.smeflow.secrets.vault;

import io.smeflow.secrets.api.v1alpha1.Region;

/**
 * One KV v2 secret in one regional Vault, with the identity the request is made under.
 *
 * @param region the regional Vault
 * @param tenantId the tenant the secret belongs to ("platform" for platform secrets)
 * @param path the path below the KV mount, e.g. {@code smeflow/tenants/acme/payments/mpesa}
 * @param identity who logs in to read or write it
 */
public record SecretLocation(Region region, String tenantId, String path, VaultIdentity identity) {

    /** The path as audit records show it, mount included. */
    public String auditPath(String mount) {
        return mount + "/" + path;
    }
}

package io.smeflow.secrets.vault;

/**
 * Who the operator is when it talks to Vault: its own role, or (per-tenant mode) the role of one
 * tenant, logged in with a token of a ServiceAccount in that tenant's namespace.
 *
 * @param role the Vault role for Kubernetes auth
 * @param tenantNamespace the namespace whose ServiceAccount token is used, or null for the
 *     operator's own token
 */
public record VaultIdentity(String role, String tenantNamespace) {

    public static VaultIdentity operator(String role) {
        return new VaultIdentity(role, null);
    }

    public boolean isPerTenant() {
        return tenantNamespace != null;
    }
}

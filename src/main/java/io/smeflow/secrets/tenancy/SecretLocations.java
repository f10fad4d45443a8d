package io.smeflow.secrets.tenancy;

import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.api.v1alpha1.TenantSecretSpec;
import io.smeflow.secrets.config.OperatorConfig;
import io.smeflow.secrets.vault.SecretLocation;
import io.smeflow.secrets.vault.VaultIdentity;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Where in which Vault an admitted TenantSecret lives, and as whom the operator goes there. Only
 * call this after {@link TenantBinding} and {@link SpecValidator} accepted the resource.
 */
@ApplicationScoped
public class SecretLocations {

    private final VaultPaths paths;
    private final OperatorConfig.AuthConfig auth;
    private final String mount;

    public SecretLocations(VaultPaths paths, OperatorConfig config) {
        this.paths = paths;
        this.auth = config.vault().auth();
        this.mount = config.vault().mount();
    }

    /** The KV v2 mount, for audit paths. */
    public String mount() {
        return mount;
    }

    public SecretLocation of(TenantSecret resource) {
        TenantSecretSpec spec = resource.getSpec();
        return new SecretLocation(
                spec.getRegion(),
                spec.getTenantId(),
                paths.pathFor(spec.getTenantId(), spec.getPath()),
                identityFor(spec.getTenantId(), resource.getMetadata().getNamespace()));
    }

    private VaultIdentity identityFor(String tenantId, String namespace) {
        OperatorConfig.PerTenantConfig perTenant = auth.perTenant();
        if (perTenant.enabled() && !TenantLabels.PLATFORM_TENANT.equals(tenantId)) {
            return new VaultIdentity(
                    perTenant.rolePattern().replace("{tenant}", tenantId), namespace);
        }
        return VaultIdentity.operator(auth.role());
    }
}

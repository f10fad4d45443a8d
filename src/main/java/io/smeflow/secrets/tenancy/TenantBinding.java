package io.smeflow.secrets.tenancy;

import io.fabric8.kubernetes.api.model.Namespace;
import io.smeflow.secrets.api.v1alpha1.TenantSecretSpec;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a TenantSecret may act for its tenant and region in its namespace. The namespace
 * labels, which only platform admins set, are the authority; the spec only claims.
 */
public final class TenantBinding {

    private TenantBinding() {}

    /** Why the spec may not be served from {@code namespace}, or empty if it may. */
    public static Optional<Refusal> check(TenantSecretSpec spec, Namespace namespace) {
        if (namespace == null) {
            return Optional.of(
                    Refusal.tenancy(
                            "the namespace could not be read; it must exist"
                                    + " and carry the "
                                    + TenantLabels.TENANT
                                    + " label"));
        }
        Map<String, String> labels =
                namespace.getMetadata().getLabels() == null
                        ? Map.of()
                        : namespace.getMetadata().getLabels();
        String name = namespace.getMetadata().getName();
        Optional<Refusal> tenancy =
                "true".equals(labels.get(TenantLabels.PLATFORM))
                        ? checkPlatform(spec, name)
                        : checkTenant(spec, name, labels.get(TenantLabels.TENANT));
        return tenancy.or(() -> checkRegion(spec, name, labels.get(TenantLabels.REGION)));
    }

    private static Optional<Refusal> checkPlatform(TenantSecretSpec spec, String namespace) {
        if (!TenantLabels.PLATFORM_TENANT.equals(spec.getTenantId())) {
            return Optional.of(
                    Refusal.tenancy(
                            "namespace "
                                    + namespace
                                    + " is a platform"
                                    + " namespace; its TenantSecrets must use tenantId '"
                                    + TenantLabels.PLATFORM_TENANT
                                    + "', not '"
                                    + spec.getTenantId()
                                    + "'"));
        }
        return Optional.empty();
    }

    private static Optional<Refusal> checkTenant(
            TenantSecretSpec spec, String namespace, String labelledTenant) {
        if (TenantLabels.PLATFORM_TENANT.equals(spec.getTenantId())) {
            return Optional.of(
                    Refusal.tenancy(
                            "tenantId '"
                                    + TenantLabels.PLATFORM_TENANT
                                    + "' (platform secrets) is allowed only in namespaces labelled "
                                    + TenantLabels.PLATFORM
                                    + "=true; "
                                    + namespace
                                    + " is not"));
        }
        if (labelledTenant == null || labelledTenant.isEmpty()) {
            return Optional.of(
                    Refusal.tenancy(
                            "namespace "
                                    + namespace
                                    + " has no "
                                    + TenantLabels.TENANT
                                    + " label; a platform admin must bind it to a tenant"));
        }
        if (!labelledTenant.equals(spec.getTenantId())) {
            return Optional.of(
                    Refusal.tenancy(
                            "tenantId '"
                                    + spec.getTenantId()
                                    + "' does not match namespace "
                                    + namespace
                                    + ", which belongs to tenant '"
                                    + labelledTenant
                                    + "'"));
        }
        return Optional.empty();
    }

    private static Optional<Refusal> checkRegion(
            TenantSecretSpec spec, String namespace, String labelledRegion) {
        if (labelledRegion == null || labelledRegion.isEmpty()) {
            return Optional.of(
                    Refusal.residency(
                            "namespace "
                                    + namespace
                                    + " has no "
                                    + TenantLabels.REGION
                                    + " label; a platform admin must set its region"));
        }
        if (spec.getRegion() == null || !labelledRegion.equals(spec.getRegion().name())) {
            return Optional.of(
                    Refusal.residency(
                            "region "
                                    + spec.getRegion()
                                    + " does not match namespace "
                                    + namespace
                                    + ", whose data must stay in "
                                    + labelledRegion));
        }
        return Optional.empty();
    }
}
